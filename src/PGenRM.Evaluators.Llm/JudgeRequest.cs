namespace PGenRM.Evaluators.Llm;

/// <summary>What the generative judge scores: one user, one query, its candidates, and the histories that condition the chains.</summary>
/// <param name="UserId">The user (cache key and trace).</param>
/// <param name="StateVersion">Version of the user's state (for example the feedback count): a new pair invalidates cached judgments.</param>
/// <param name="Query">The user's query.</param>
/// <param name="Candidates">Candidate responses (two: pairwise; more: each against the first as reference).</param>
/// <param name="History">The user's recent pairs, newest first (the judge picks h = 3 by relevance to the query).</param>
/// <param name="StatedPreference">The user's stated preference, or null.</param>
/// <param name="Neighbours">Nearest other users, most similar first (the prototype level uses the first <paramref name="N"/>).</param>
/// <param name="M">Individual-level chains (the paper's m, at least 1).</param>
/// <param name="N">Prototype-level chains (the paper's n, 0 = off).</param>
public sealed record JudgeRequest(
    string UserId,
    long StateVersion,
    string Query,
    IReadOnlyList<string> Candidates,
    IReadOnlyList<JudgePair> History,
    string? StatedPreference,
    IReadOnlyList<JudgeNeighbour> Neighbours,
    int M = 1,
    int N = 0);

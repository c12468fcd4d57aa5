namespace PGenRM.Evaluators.Llm;

/// <summary>A similar other user whose history conditions one prototype-level chain.</summary>
/// <param name="Id">The neighbour's id (reported in the scaling trace).</param>
/// <param name="History">The neighbour's recent pairs, newest first; the judge picks the h most query-relevant.</param>
public sealed record JudgeNeighbour(string Id, IReadOnlyList<JudgePair> History);

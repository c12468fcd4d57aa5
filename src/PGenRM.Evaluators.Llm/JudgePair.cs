namespace PGenRM.Evaluators.Llm;

/// <summary>One past feedback pair as the judge's prompt quotes it (the paper's "User / Chosen / Rejected" lines).</summary>
/// <param name="Query">The user turn.</param>
/// <param name="Chosen">The response the user preferred.</param>
/// <param name="Rejected">The response the user passed over.</param>
public sealed record JudgePair(string Query, string Chosen, string Rejected);

namespace PGenRM.Core.Evaluator;

/// <summary>A query with its embedding, scenario weights and encoded candidates.</summary>
/// <param name="Text">The query text.</param>
/// <param name="Embedding">Query embedding.</param>
/// <param name="ScenarioWeights">Soft scenario assignment.</param>
/// <param name="Candidates">Encoded candidates in request order.</param>
public sealed record EncodedQuery(string Text, float[] Embedding, float[] ScenarioWeights, IReadOnlyList<EncodedCandidate> Candidates);

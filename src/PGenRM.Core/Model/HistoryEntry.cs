namespace PGenRM.Core.Model;

/// <summary>One pair of the user's history as the individual level resamples it.</summary>
/// <param name="Observation">The user-side observation ([Δx; Δv], offset Δb).</param>
/// <param name="QueryEmbedding">Embedding of the pair's query, for query relevance; may be empty.</param>
public sealed record HistoryEntry(LogisticObservation Observation, float[] QueryEmbedding);

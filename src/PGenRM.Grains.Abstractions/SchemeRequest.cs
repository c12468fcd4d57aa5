namespace PGenRM.Grains.Abstractions;

/// <summary>What a scoring worker asks a user grain for: the individual level for one query.</summary>
/// <param name="QueryEmbedding">The query's sentence embedding (history relevance for the m subsamples).</param>
/// <param name="M">Schemes wanted (1 = the posterior mean only).</param>
/// <param name="SeedKey">Seed of the subsamples (same key, same schemes).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.SchemeRequest")]
public sealed record SchemeRequest(
    [property: Id(0)] float[] QueryEmbedding,
    [property: Id(1)] int M,
    [property: Id(2)] string SeedKey);

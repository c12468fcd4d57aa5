namespace PGenRM.Grains.Abstractions;

/// <summary>A pairwise comparison: the two candidates' scores and the probability that the first is preferred.</summary>
/// <param name="Probability">P(first ≻ second) = σ(reward₀ − reward₁) on the fused Bradley–Terry scale.</param>
/// <param name="Score">The underlying two-candidate score.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.CompareResponse")]
public sealed record CompareResponse(
    [property: Id(0)] double Probability,
    [property: Id(1)] ScoreResponse Score);

namespace PGenRM.Core.Features;

/// <summary>Layout of the content feature vector x(q, r) = [criteria; scenario offsets; low-rank residual].</summary>
public sealed record FeatureSpaceOptions
{
    /// <summary>
    /// Criteria whose weight may differ by scenario; each gets one offset per scenario (x = criterion score ×
    /// scenario weight). Style criteria are the ones users change by context (short for chat, detailed for code).
    /// Ids missing from the bank are ignored.
    /// </summary>
    public IReadOnlyList<string> ScenarioSensitiveCriteria { get; init; } = ["concise", "formal", "structure", "examples", "hedging", "directness"];

    /// <summary>How many residual-basis components enter x (at most the bank's basis size).</summary>
    public int ResidualComponents { get; init; } = 16;

    /// <summary>F: length of the content-derived item factor prior u, a seeded random projection of the embedding.</summary>
    public int FactorDimension { get; init; } = 8;

    /// <summary>Scale of u (projection components of a unit embedding have unit variance before scaling).</summary>
    public double FactorPriorScale { get; init; } = 0.5;

    /// <summary>Seed of the random projection behind u; part of the feature space's version.</summary>
    public int FactorProjectionSeed { get; init; } = 20260212;

    /// <summary>Scale of the residual projections (embeddings are unit vectors, so raw projections are small).</summary>
    public double ResidualScale { get; init; } = 4.0;

    /// <summary>Base prior precision of criterion weights (user deviation from its prototype).</summary>
    public double CriterionPrecision { get; init; } = 1.0;

    /// <summary>Base prior precision of scenario offsets (stronger: offsets need more evidence).</summary>
    public double OffsetPrecision { get; init; } = 4.0;

    /// <summary>Base prior precision of residual weights.</summary>
    public double ResidualPrecision { get; init; } = 1.0;
}

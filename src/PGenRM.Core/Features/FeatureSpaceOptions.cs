namespace PGenRM.Core.Features;

/// <summary>Layout of the content feature vector x(q, r) = [criteria; scenario offsets; low-rank residual; embedding block].</summary>
public sealed record FeatureSpaceOptions
{
    /// <summary>
    /// Criteria whose weight may differ by scenario; each gets one offset per scenario (x = criterion score ×
    /// scenario weight). Style criteria are the ones users change by context (short for chat, detailed for code).
    /// Ids missing from the bank are ignored.
    /// </summary>
    public IReadOnlyList<string> ScenarioSensitiveCriteria { get; init; } = ["concise", "formal", "structure", "examples", "hedging", "directness"];

    /// <summary>How many residual-basis components enter x (at most the basis size).</summary>
    public int ResidualComponents { get; init; } = 16;

    /// <summary>
    /// A tenant-learned residual basis (<see cref="TenantProjection.Learn"/>, whitened rows over the embedding) replacing
    /// the bank's generic one; its coordinates enter x unscaled. Null: the bank's basis. Tenant-level data; the feature
    /// space's version names it, so schemes fitted on another basis are not mixed up with these.
    /// </summary>
    public IReadOnlyList<float[]>? ResidualBasis { get; init; }

    /// <summary>
    /// E: components of the embedding block, a fixed seeded orthonormal projection of the whole response embedding. The
    /// residual basis is the principal directions of a 72-text generic corpus, so it keeps what generic texts vary in;
    /// a personal taste that lives elsewhere in the embedding (a register, a domain) needs directions it lacks. A random
    /// orthonormal projection keeps every direction in proportion (Johnson–Lindenstrauss) and needs no tenant data.
    /// 0 disables the block.
    /// </summary>
    public int EmbeddingComponents { get; init; } = 0;

    /// <summary>Seed of the embedding block's projection; part of the feature space's version.</summary>
    public int EmbeddingProjectionSeed { get; init; } = 20261204;

    /// <summary>Scale of the embedding block (components of a unit embedding have variance ≈ 1/384 before scaling).</summary>
    public double EmbeddingScale { get; init; } = 8.0;

    /// <summary>Base prior precision of the embedding block's weights.</summary>
    public double EmbeddingPrecision { get; init; } = 1.0;

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

namespace PGenRM.Core.Model;

/// <summary>Which parts of the hybrid model the offline trainer fits (the ablations of the evaluation).</summary>
public sealed record TrainerOptions
{
    /// <summary>Alternating rounds of item fits, user fits and re-clustering.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Number of prototypes k; 0 or <see cref="UsePrototypes"/> = false keeps the population prior.</summary>
    public int Prototypes { get; init; } = 8;

    /// <summary>Whether users get their prototype's centroid as prior (the middle level of the hierarchy).</summary>
    public bool UsePrototypes { get; init; } = true;

    /// <summary>
    /// Whether the content weights' prior comes from a clustering of the content weights alone (the part fitted first);
    /// the factor's prior and the prototype (neighbours) from the clustering of the whole scheme either way.
    /// </summary>
    public bool ClusterOnContent { get; init; } = true;

    /// <summary>Whether prototype centroids are shrunk toward the population by cluster size (<see cref="PrototypeShrinkage"/>).</summary>
    public bool ShrinkPrototypes { get; init; } = true;

    /// <summary>How the shrinkage's κ is estimated when <see cref="ShrinkPrototypes"/> is on (<see cref="PrototypeShrinkageRule"/>).</summary>
    public PrototypeShrinkageRule ShrinkageRule { get; init; } = PrototypeShrinkageRule.MethodOfMoments;

    /// <summary>Whether users get their own posterior; false scores everyone with their prior (population or prototype).</summary>
    public bool PersonalSchemes { get; init; } = true;

    /// <summary>Whether item strengths and factors are learned (the collaborative part).</summary>
    public bool Collaborative { get; init; } = true;

    /// <summary>Whether the content weights are used; false leaves only the collaborative part.</summary>
    public bool Content { get; init; } = true;

    /// <summary>
    /// What neighbours are compared on: by default the sketch of the user's pairs, the one the service's user grain keeps
    /// (issue 11 session 5; the per-item <see cref="NeighbourKeyKind.Sketch"/> made DSP's opposed registers look alike).
    /// </summary>
    public NeighbourKeyKind NeighbourKey { get; init; } = NeighbourKeyKind.PairSketch;

    /// <summary>
    /// Whether the users' collaborative stage is fitted at the tenant's scale (<see cref="CollaborativeScale"/>), chosen
    /// each round from the users' criteria, as the service does once its re-clustering pass has run; false: each user's
    /// own choice.
    /// </summary>
    public bool TenantCollaborativeScale { get; init; } = true;

    /// <summary>Seed for clustering.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Degree of parallelism for per-user and per-item fits.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}

namespace PGenRM.Core.Clustering;

/// <summary>Settings for <see cref="KMeans"/>. Validated when a <see cref="KMeans"/> is created.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters (the paper uses 50 user prototypes). At least 1.</summary>
    public required int K { get; init; }

    /// <summary>
    /// Cap on Lloyd iterations for <see cref="KMeans.Fit"/>, and the number of mini-batch steps for
    /// <see cref="KMeans.FitMiniBatch"/>. At least 1. Default 100.
    /// </summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Seed of the <see cref="Random"/> used for k-means++ and batch sampling; equal seeds give equal results.</summary>
    public int Seed { get; init; }

    /// <summary>Points per step in <see cref="KMeans.FitMiniBatch"/>. At least 1. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// k-means++ seedings to draw; the one with the lowest potential is kept (scikit-learn's MiniBatchKMeans chooses
    /// its initialisation the same way). At least 1. Default 3.
    /// </summary>
    public int Initializations { get; init; } = 3;

    /// <summary>Distance used for assignment and inertia. Default <see cref="DistanceMetric.Euclidean"/>.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;
}

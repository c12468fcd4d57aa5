namespace PGenRM.Grains.Abstractions;

/// <summary>
/// A tenant's prototypes as of one re-clustering pass. Readers cache it by <paramref name="Version"/>; it changes only
/// when the tenant re-clusters, so user grains and scoring workers do not call the tenant grain per request.
/// </summary>
/// <param name="Version">Centroid version; increases with every pass (0 = never clustered: one prototype at the prior).</param>
/// <param name="Centroids">Centroid scheme per prototype index (length d + F each), in the clustering space.</param>
/// <param name="Counts">Members per prototype as of the pass.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeDirectory")]
public sealed record PrototypeDirectory(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<float[]> Centroids,
    [property: Id(2)] IReadOnlyList<long> Counts);

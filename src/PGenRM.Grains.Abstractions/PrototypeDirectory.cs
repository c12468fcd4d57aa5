namespace PGenRM.Grains.Abstractions;

/// <summary>
/// A tenant's prototypes as of one re-clustering pass. Readers cache it by <paramref name="Version"/>; it changes only
/// when the tenant re-clusters, so user grains and scoring workers do not call the tenant grain per request.
/// </summary>
/// <param name="Version">Centroid version; increases with every pass (0 = never clustered: one prototype at the prior).</param>
/// <param name="Centroids">Centroid scheme per prototype index (length d + F each), in the clustering space.</param>
/// <param name="Counts">Members per prototype as of the pass.</param>
/// <param name="Slots">Prototype grains that may hold members (the most prototypes any directory had; 0 in directories
/// stored before it existed: read as the number of centroids).</param>
/// <param name="CollaborativeScale">The tenant's prior scale for its users' collaborative stage (Core's
/// CollaborativeScale.Tenant over the members' criteria), or null before any member reported criteria.</param>
/// <param name="Priors">The prior mean per prototype: its centroid shrunk toward the tenant's population by its size (Core's
/// PrototypeShrinkage), so a prototype of two users stays near the population unless prototypes really differ. Users
/// are still placed by the unshrunk <paramref name="Centroids"/>. Null in directories stored before it existed (their
/// centroids are the priors).</param>
/// <param name="Kappa">κ of that shrinkage (a prototype of n members keeps n/(n + κ) of its deviation; 0 = none,
/// ∞ = every prior at the population).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeDirectory")]
public sealed record PrototypeDirectory(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<float[]> Centroids,
    [property: Id(2)] IReadOnlyList<long> Counts,
    [property: Id(3)] int Slots = 0,
    [property: Id(4)] double? CollaborativeScale = null,
    [property: Id(5)] IReadOnlyList<float[]>? Priors = null,
    [property: Id(6)] double Kappa = 0)
{
    /// <summary>Prototype indices that may hold members: 0 … this − 1 (at least one, prototype 0 of version 0).</summary>
    public int EffectiveSlots => Math.Max(1, Math.Max(Slots, Centroids.Count));
}

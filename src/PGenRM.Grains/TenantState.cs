using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>What a tenant grain stores (storage "tenants", state "tenant").</summary>
/// <remarks>Persisted and serialized by Orleans: never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.TenantState")]
public sealed class TenantState
{
    /// <summary>Whether the tenant was created.</summary>
    [Id(0)] public bool Created { get; set; }

    /// <summary>Current settings.</summary>
    [Id(1)] public TenantSettings Settings { get; set; } = new();

    /// <summary>SHA-256 hashes (hex) of the API keys.</summary>
    [Id(2)] public List<string> ApiKeyHashes { get; set; } = [];

    /// <summary>Creation time.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Centroid version of <see cref="Centroids"/>.</summary>
    [Id(4)] public long CentroidVersion { get; set; }

    /// <summary>Centroids per prototype (empty = version 0: one prototype at the prior mean).</summary>
    [Id(5)] public List<float[]> Centroids { get; set; } = [];

    /// <summary>Members per prototype as of the last pass.</summary>
    [Id(6)] public List<long> Counts { get; set; } = [];

    /// <summary>Prototype grains that may hold members: the most prototypes any directory had (a pass reads them all, so
    /// members of prototypes dropped by a smaller k are still clustered until they move).</summary>
    [Id(7)] public int PrototypeSlots { get; set; }

    /// <summary>When the last re-clustering pass finished (null: never).</summary>
    [Id(8)] public DateTimeOffset? LastReclusterAt { get; set; }

    /// <summary>Joins + leaves the prototypes had counted when the last pass read them (the timer re-clusters only after more).</summary>
    [Id(9)] public long ChurnAtLastPass { get; set; }

    /// <summary>The tenant's prior scale for its users' collaborative stage as of the last pass (null: none yet).</summary>
    [Id(10)] public double? CollaborativeScale { get; set; }

    /// <summary>The prototypes' shrunk prior means as of the last pass (<see cref="PrototypeDirectory.Priors"/>; null: none stored).</summary>
    [Id(11)] public List<float[]>? Priors { get; set; }

    /// <summary>κ of those priors' shrinkage (<see cref="PrototypeDirectory.Kappa"/>).</summary>
    [Id(12)] public double Kappa { get; set; }
}

using Orleans.Concurrency;

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// A tenant (key <see cref="GrainKeys.Tenant"/>, "{tenant}"): settings, hashed API keys, the prototype directory, and
/// re-clustering, a background job over the prototypes' reservoirs (on a timer, and when the prototypes saw enough users
/// join or leave). Not on any request path: callers cache <see cref="TenantInfo"/> and the
/// <see cref="PrototypeDirectory"/> by version, and no user grain calls it.
/// </summary>
[Alias("PGenRM.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant with one API key (given as its SHA-256 hash). Throws <see cref="TenantExistsException"/> if it exists.</summary>
    [Alias("CreateAsync")]
    Task<TenantInfo> CreateAsync(TenantSettings settings, string apiKeyHash, CancellationToken cancellationToken = default);

    /// <summary>The tenant, or null if it was never created (or was deleted).</summary>
    /// <remarks>Interleaves with a running re-clustering pass: a prototype grain the pass is waiting on may read the directory.</remarks>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<TenantInfo?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the settings (validated); a change of k takes effect at the next re-clustering pass.</summary>
    [Alias("UpdateSettingsAsync")]
    Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings, CancellationToken cancellationToken = default);

    /// <summary>The prototype directory (cheap; callers cache by version).</summary>
    /// <remarks>Interleaves with a running re-clustering pass (it only reads the stored directory).</remarks>
    [Alias("GetDirectoryAsync"), AlwaysInterleave]
    Task<PrototypeDirectory> GetDirectoryAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A prototype saw enough members join or leave: start a re-clustering pass in the background unless one is running.
    /// One-way: the caller never waits for the pass.
    /// </summary>
    [Alias("RequestReclusterAsync"), OneWay]
    Task RequestReclusterAsync(string trigger);

    /// <summary>Runs one re-clustering pass now (k-means over the prototypes' reservoirs) and returns the new directory (the admin endpoint's call).</summary>
    [Alias("ReclusterAsync")]
    Task<PrototypeDirectory> ReclusterAsync(CancellationToken cancellationToken = default);
}

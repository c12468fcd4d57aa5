using Microsoft.Extensions.Caching.Memory;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of <see cref="TenantInfo"/> (settings, key hashes, prototype directory) with a short time to live,
/// so that user grains, scoring workers and the API do not call the tenant grain on every request (it would be the
/// tenant's hot spot). A change reaches every reader within <see cref="TimeToLive"/>. Held in a <see cref="MemoryCache"/>
/// of at most <see cref="MaxEntries"/> entries (past it an entry is not stored until compaction, least recently used
/// first, made room), with hit, miss and eviction counts (<see cref="Counts"/>, published by <see cref="CacheMetrics"/>).
/// </summary>
public sealed class TenantCache : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly Lazy<MemoryCache> _entries;
    private readonly CacheEvictions _evictions = new();

    /// <summary>Creates the cache over the tenant grains; <paramref name="time"/> drives the expiry (tests pass a fake clock).</summary>
    public TenantCache(IGrainFactory grains, TimeProvider? time = null)
    {
        _grains = grains;
        _time = time ?? TimeProvider.System;
        // Created on first use: MaxEntries is an init property, set after the constructor.
        _entries = new Lazy<MemoryCache>(() => BoundedMemoryCache.Create(MaxEntries, _time));
    }

    /// <summary>How long an entry is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tenant, or null if it does not exist. A miss is cached too (grain-side readers of a tenant that was never
    /// created cost no call per use) unless <paramref name="cacheMissing"/> is false: the API's key check passes false,
    /// so that guessed tenants leave nothing behind (it limits failed authentications per address instead).
    /// </summary>
    public async Task<TenantInfo?> GetAsync(string tenant, CancellationToken cancellationToken = default, bool cacheMissing = true)
    {
        if (_entries.Value.TryGetValue(tenant, out TenantInfo? cached))
        {
            return cached;
        }

        var info = await _grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(cancellationToken);
        if (info is not null || cacheMissing)
        {
            // A miss costs the same one unit as a tenant but is dropped first when the cache compacts.
            var options = _evictions.Options();
            options.AbsoluteExpirationRelativeToNow = TimeToLive;
            options.Priority = info is null ? CacheItemPriority.Low : CacheItemPriority.Normal;
            _entries.Value.Set(tenant, info, options);
        }

        return info;
    }

    /// <summary>Most entries held (past it, a tenant is read on every use until compaction makes room).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Entries held now (expired ones until the cache next scans).</summary>
    public int Count => _entries.Value.Count;

    /// <summary>Hits, misses, evictions and entries (published by <see cref="CacheMetrics"/>).</summary>
    public CacheCounts Counts => CacheCounts.Of(_entries.Value, _evictions);

    /// <summary>
    /// The tenant; throws <see cref="KeyNotFoundException"/> if it does not exist. A cached miss is read again first:
    /// a tenant created since (on another silo) is served at once, not after the miss expires.
    /// </summary>
    public async Task<TenantInfo> RequireAsync(string tenant, CancellationToken cancellationToken = default)
    {
        if (_entries.Value.TryGetValue(tenant, out TenantInfo? cached) && cached is null)
        {
            Invalidate(tenant);
        }

        return await GetAsync(tenant, cancellationToken) ?? throw new KeyNotFoundException($"Tenant '{tenant}' does not exist.");
    }

    /// <summary>Drops the cached entry (after this silo changed the tenant).</summary>
    public void Invalidate(string tenant) => _entries.Value.Remove(tenant);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_entries.IsValueCreated)
        {
            _entries.Value.Dispose();
        }
    }

}

using System.Collections.Concurrent;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of <see cref="TenantInfo"/> (settings, key hashes, prototype directory) with a short time to live,
/// so that user grains, scoring workers and the API do not call the tenant grain on every request (it would be the
/// tenant's hot spot). A change reaches every reader within <see cref="TimeToLive"/>.
/// </summary>
public sealed class TenantCache(IGrainFactory grains, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, (TenantInfo? Info, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long an entry is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tenant, or null if it does not exist. A miss is cached too (grain-side readers of a tenant that was never
    /// created cost no call per use) unless <paramref name="cacheMissing"/> is false: the API's key check passes false,
    /// so that guessed tenants leave nothing behind (it limits failed authentications per address instead).
    /// </summary>
    public async Task<TenantInfo?> GetAsync(string tenant, CancellationToken cancellationToken = default, bool cacheMissing = true)
    {
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(tenant, out var entry) && entry.Expires > now)
        {
            return entry.Info;
        }

        var info = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(cancellationToken);
        if (info is null && !cacheMissing)
        {
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            // Bounded: expired entries go first, then the misses (a known tenant is worth more).
            foreach (var (name, cached) in _entries)
            {
                if (cached.Expires <= now || (cached.Info is null && _entries.Count >= MaxEntries))
                {
                    _entries.TryRemove(name, out _);
                }
            }
        }

        if (_entries.Count < MaxEntries || _entries.ContainsKey(tenant))
        {
            _entries[tenant] = (info, now + TimeToLive);
        }

        return info;
    }

    /// <summary>Most entries held (past it, a tenant is read on every use until expired entries make room).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Entries held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The tenant; throws <see cref="KeyNotFoundException"/> if it does not exist.</summary>
    public async Task<TenantInfo> RequireAsync(string tenant, CancellationToken cancellationToken = default) =>
        await GetAsync(tenant, cancellationToken) ?? throw new KeyNotFoundException($"Tenant '{tenant}' does not exist.");

    /// <summary>Drops the cached entry (after this silo changed the tenant).</summary>
    public void Invalidate(string tenant) => _entries.TryRemove(tenant, out _);
}

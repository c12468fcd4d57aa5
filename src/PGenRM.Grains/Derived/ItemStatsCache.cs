using Microsoft.Extensions.Caching.Memory;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Derived;

/// <summary>
/// A silo's item statistics by (item, version), bounded (<see cref="DerivedStatsOptions.ItemCacheEntries"/>, least
/// recently used evicted first). A read asks the item only whether its version moved
/// (<see cref="IItemGrain.GetStatsIfChangedAsync"/>, read-only, answered with nothing when unchanged), so the feedback
/// path and the scoring worker never serve a version older than the item's and never ship unchanged statistics again.
/// </summary>
public sealed class ItemStatsCache : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly MemoryCache _cache;
    private readonly CacheEvictions _evictions = new();

    /// <summary>Creates the cache.</summary>
    public ItemStatsCache(IGrainFactory grains, DerivedStatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _cache = BoundedMemoryCache.Create(options.ItemCacheEntries);
    }

    /// <summary>The current statistics of item <paramref name="itemKey"/> (<see cref="GrainKeys.Item"/>), without nearest judges.</summary>
    public async Task<ItemStats> GetAsync(string itemKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemKey);
        var item = _grains.GetGrain<IItemGrain>(itemKey);
        if (_cache.TryGetValue(itemKey, out ItemStats? cached) && cached is not null)
        {
            var changed = await item.GetStatsIfChangedAsync(cached.Version, cancellationToken);
            if (changed is null)
            {
                return cached;
            }

            return Keep(itemKey, changed);
        }

        return Keep(itemKey, await item.GetStatsAsync(cancellationToken));
    }

    /// <summary>Hits, misses, evictions and entries (published by <see cref="CacheMetrics"/>).</summary>
    public CacheCounts Counts => CacheCounts.Of(_cache, _evictions);

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    private ItemStats Keep(string itemKey, ItemStats stats)
    {
        // Concurrent readers may race; either answer is the item's state at some version, and the next read checks it.
        _cache.Set(itemKey, stats, _evictions.Options());
        return stats;
    }
}

using Microsoft.Extensions.Caching.Memory;

namespace PGenRM.Grains;

/// <summary>A cache's counters since it was created, as <see cref="CacheMetrics"/> publishes them.</summary>
/// <param name="Hits">Reads served from the cache.</param>
/// <param name="Misses">Reads that were not.</param>
/// <param name="Evictions">Entries dropped for room or on expiry.</param>
/// <param name="Entries">Entries held now.</param>
public readonly record struct CacheCounts(long Hits, long Misses, long Evictions, long Entries)
{
    /// <summary>The counts of <paramref name="cache"/> (created with statistics tracked) and its <paramref name="evictions"/>.</summary>
    public static CacheCounts Of(MemoryCache cache, CacheEvictions evictions)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(evictions);
        var statistics = cache.GetCurrentStatistics();
        return new CacheCounts(statistics?.TotalHits ?? 0, statistics?.TotalMisses ?? 0, evictions.Count, cache.Count);
    }
}

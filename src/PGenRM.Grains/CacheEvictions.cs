using Microsoft.Extensions.Caching.Memory;

namespace PGenRM.Grains;

/// <summary>
/// Counts the entries a <see cref="MemoryCache"/> dropped for room or on expiry (its statistics count hits and misses
/// only): entries are stored with <see cref="Options"/>, which carries the callback.
/// </summary>
public sealed class CacheEvictions
{
    private long _count;

    /// <summary>Entries evicted so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Entry options of size 1 that count the entry's eviction.</summary>
    public MemoryCacheEntryOptions Options() =>
        new MemoryCacheEntryOptions { Size = 1 }.RegisterPostEvictionCallback(
            static (_, _, reason, state) =>
            {
                if (reason is EvictionReason.Capacity or EvictionReason.Expired)
                {
                    Interlocked.Increment(ref ((CacheEvictions)state!)._count);
                }
            },
            this);
}

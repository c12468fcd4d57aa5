using Microsoft.Extensions.Caching.Memory;

namespace PGenRM.Grains;

/// <summary>The one way the silo's caches build their <see cref="MemoryCache"/>: bounded in entries (size 1 each), with statistics.</summary>
internal static class BoundedMemoryCache
{
    /// <summary>A cache of at most <paramref name="maxEntries"/> entries whose expiry runs on <paramref name="time"/>.</summary>
    public static MemoryCache Create(int maxEntries, TimeProvider? time = null) => new(new MemoryCacheOptions
    {
        SizeLimit = maxEntries,
        Clock = new TimeProviderClock(time ?? TimeProvider.System),
        TrackStatistics = true,
    });
}

namespace PGenRM.Grains;

/// <summary>A cache <see cref="CacheMetrics"/> publishes (a silo service; one per cache).</summary>
/// <param name="Name">The value of the instruments' "cache" tag.</param>
/// <param name="Read">Reads its counts.</param>
public sealed record CacheSource(string Name, Func<CacheCounts> Read);

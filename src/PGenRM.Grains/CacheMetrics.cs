using System.Diagnostics.Metrics;

namespace PGenRM.Grains;

/// <summary>
/// OpenTelemetry instruments of the silo's caches (meter <see cref="MeterName"/>), one series per
/// <see cref="CacheSource"/> (tag "cache"): hits, misses and evictions as observable counters, entries as a gauge.
/// Read when a listener collects; the caches keep their own counts.
/// </summary>
public sealed class CacheMetrics : IDisposable
{
    /// <summary>The meter's name (add it to the OpenTelemetry meter provider).</summary>
    public const string MeterName = "PGenRM.Caches";

    private readonly Meter _meter;

    /// <summary>Creates the instruments over <paramref name="sources"/>, on a meter from <paramref name="factory"/> or a private one.</summary>
    public CacheMetrics(IEnumerable<CacheSource> sources, IMeterFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var all = sources.ToList();
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableCounter("pgenrm.cache.hits", () => Read(all, c => c.Hits), "{read}", "Reads served from the cache.");
        _meter.CreateObservableCounter("pgenrm.cache.misses", () => Read(all, c => c.Misses), "{read}", "Reads the cache could not serve.");
        _meter.CreateObservableCounter("pgenrm.cache.evictions", () => Read(all, c => c.Evictions), "{entry}", "Entries dropped for room or on expiry.");
        _meter.CreateObservableGauge("pgenrm.cache.entries", () => Read(all, c => c.Entries), "{entry}", "Entries held.");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Read(List<CacheSource> sources, Func<CacheCounts, long> value) =>
        sources.Select(s => new Measurement<long>(value(s.Read()), new KeyValuePair<string, object?>("cache", s.Name)));
}

using System.Diagnostics.Metrics;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// The encoder's OpenTelemetry instruments (meter <see cref="MeterName"/>): batch size and latency of every ONNX run,
/// and embedding-cache hits and misses (hit rate = hits / (hits + misses)). A host exports them by adding the meter.
/// </summary>
public static class EncoderMetrics
{
    /// <summary>Name of the meter to add to a metrics pipeline.</summary>
    public const string MeterName = "PGenRM.Encoding";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Texts per ONNX run.</summary>
    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "pgenrm.encoder.batch.size", "{text}", "Texts per encoder (ONNX) run.");

    /// <summary>Seconds per ONNX run.</summary>
    internal static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "pgenrm.encoder.batch.duration", "s", "Duration of one encoder (ONNX) run.");

    private static readonly Counter<long> Hits = Meter.CreateCounter<long>(
        "pgenrm.encoder.cache.hits", "{text}", "Texts served from the embedding cache.");

    private static readonly Counter<long> Misses = Meter.CreateCounter<long>(
        "pgenrm.encoder.cache.misses", "{text}", "Texts that had to be encoded.");

    private static long _hits;
    private static long _misses;

    // Hit rate since the process started (the counters give it over any window: rate(hits) / rate(hits + misses)).
    private static readonly ObservableGauge<double> HitRatio = Meter.CreateObservableGauge(
        "pgenrm.encoder.cache.hit_ratio",
        () =>
        {
            long hits = Interlocked.Read(ref _hits), total = hits + Interlocked.Read(ref _misses);
            return total == 0 ? 0.0 : (double)hits / total;
        },
        unit: "1",
        description: "Share of texts served from the embedding cache since start.");

    /// <summary>Records one cache hit.</summary>
    internal static void CacheHit()
    {
        Interlocked.Increment(ref _hits);
        Hits.Add(1);
    }

    /// <summary>Records one cache miss.</summary>
    internal static void CacheMiss()
    {
        Interlocked.Increment(ref _misses);
        Misses.Add(1);
    }
}

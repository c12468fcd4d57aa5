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

    /// <summary>Embedding-cache hits.</summary>
    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "pgenrm.encoder.cache.hits", "{text}", "Texts served from the embedding cache.");

    /// <summary>Embedding-cache misses.</summary>
    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "pgenrm.encoder.cache.misses", "{text}", "Texts that had to be encoded.");
}

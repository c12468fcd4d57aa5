using System.Diagnostics.Metrics;

namespace PGenRM.Grains.Derived;

/// <summary>OpenTelemetry instruments of the derived-statistics pipeline (meter <see cref="MeterName"/>).</summary>
public sealed class DerivedStatsMetrics : IDisposable
{
    /// <summary>The meter's name (add it to the OpenTelemetry meter provider).</summary>
    public const string MeterName = "PGenRM.Derived";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="factory"/>, or on a private meter.</summary>
    public DerivedStatsMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        FlushSize = _meter.CreateHistogram<int>("pgenrm.derived.flush.size", "{judgment}", "Judgments sent by one flush of the pipeline.");
        Lag = _meter.CreateHistogram<double>("pgenrm.derived.lag", "ms", "From a judgment's post by the user grain to its application on the item grain.");
        Dropped = _meter.CreateCounter<long>("pgenrm.derived.dropped", "{judgment}", "Judgments given up after repeated send failures (repaired by 'rebuild').");
        Posted = _meter.CreateCounter<long>("pgenrm.derived.posted", "{judgment}", "Judgments posted to the pipeline.");
        PrototypeCommit = _meter.CreateHistogram<int>("pgenrm.derived.prototype.commit.size", "{report}", "Membership reports stored by one write of a prototype grain (group commit).");
    }

    /// <summary>Judgments per flush.</summary>
    public Histogram<int> FlushSize { get; }

    /// <summary>Post → applied, per flushed item batch (its oldest judgment).</summary>
    public Histogram<double> Lag { get; }

    /// <summary>Judgments given up.</summary>
    public Counter<long> Dropped { get; }

    /// <summary>Judgments posted.</summary>
    public Counter<long> Posted { get; }

    /// <summary>Reports per prototype write: its count is the prototypes' writes, its sum their reports.</summary>
    public Histogram<int> PrototypeCommit { get; }

    /// <summary>Observes the queue length through <paramref name="length"/>.</summary>
    public void ObserveQueue(Func<long> length) =>
        _meter.CreateObservableGauge("pgenrm.derived.queue.length", length, "{judgment}", "Judgments waiting in the pipeline's queue.");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

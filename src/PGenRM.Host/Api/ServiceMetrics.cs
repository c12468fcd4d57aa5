using System.Diagnostics.Metrics;

namespace PGenRM.Host.Api;

/// <summary>The API's own instruments (meter <see cref="MeterName"/>); rates (scores/s, feedback/s) come from the counters.</summary>
public static class ServiceMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "PGenRM.Service";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Score and compare requests answered (tag: endpoint).</summary>
    internal static readonly Counter<long> Scores = Meter.CreateCounter<long>("pgenrm.scores", "{request}", "Score requests answered.");

    /// <summary>Candidates scored.</summary>
    internal static readonly Counter<long> Candidates = Meter.CreateCounter<long>("pgenrm.scored.candidates", "{candidate}", "Candidates scored.");

    /// <summary>Feedback items acknowledged (tag: status).</summary>
    internal static readonly Counter<long> Feedback = Meter.CreateCounter<long>("pgenrm.feedback", "{item}", "Feedback items acknowledged.");

    /// <summary>Seconds per score request inside the silo.</summary>
    internal static readonly Histogram<double> ScoreDuration = Meter.CreateHistogram<double>("pgenrm.score.duration", "s", "Duration of a score call.");
}

namespace PGenRM.Cli.Load;

/// <summary>One kind's numbers at the end of a run (latencies in milliseconds, throughput over the whole run).</summary>
/// <param name="Requests">Requests finished (answered or failed).</param>
/// <param name="Ok">Requests answered 2xx.</param>
/// <param name="Errors">Requests not answered 2xx (any other status, a timeout or a connection error).</param>
/// <param name="RequestsPerSecond">Requests over the run's wall time.</param>
/// <param name="P50Ms">Median latency.</param>
/// <param name="P95Ms">95th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="MaxMs">Slowest request.</param>
/// <param name="Statuses">Count by HTTP status ("none" for no answer).</param>
/// <param name="Failures">Count by failure message for requests without an answer.</param>
internal sealed record KindSummary(
    long Requests,
    long Ok,
    long Errors,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> Statuses,
    IReadOnlyDictionary<string, long> Failures);

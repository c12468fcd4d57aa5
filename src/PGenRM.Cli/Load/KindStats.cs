namespace PGenRM.Cli.Load;

/// <summary>
/// What one kind of request did: latencies of completed requests and counts by status (0 = no HTTP answer: timeout or
/// connection error). Thread-safe; the runner's workers share one per kind.
/// </summary>
internal sealed class KindStats
{
    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly SortedDictionary<int, long> _statuses = [];
    private readonly SortedDictionary<string, long> _failures = new(StringComparer.Ordinal);

    /// <summary>Records one finished request; <paramref name="status"/> 0 with <paramref name="failure"/> when there was no answer.</summary>
    public void Record(int status, double latencyMs, string? failure = null)
    {
        lock (_gate)
        {
            _latenciesMs.Add(latencyMs);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            if (failure is not null)
            {
                _failures[failure] = _failures.GetValueOrDefault(failure) + 1;
            }
        }
    }

    /// <summary>Requests finished so far (answered or failed).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _latenciesMs.Count;
            }
        }
    }

    /// <summary>Requests without a 2xx answer so far.</summary>
    public long Errors
    {
        get
        {
            lock (_gate)
            {
                return _statuses.Where(s => s.Key is < 200 or > 299).Sum(s => s.Value);
            }
        }
    }

    /// <summary>A copy of the counts and latency percentiles (nearest rank) over everything recorded.</summary>
    public KindSummary Summarise(TimeSpan elapsed)
    {
        double[] sorted;
        Dictionary<string, long> statuses;
        Dictionary<string, long> failures;
        lock (_gate)
        {
            sorted = [.. _latenciesMs];
            statuses = _statuses.ToDictionary(s => s.Key == 0 ? "none" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value);
            failures = new Dictionary<string, long>(_failures, StringComparer.Ordinal);
        }

        Array.Sort(sorted);
        long errors = statuses.Where(s => !(s.Key.Length == 3 && s.Key[0] == '2')).Sum(s => s.Value);
        return new KindSummary(
            sorted.Length,
            sorted.Length - errors,
            errors,
            elapsed.TotalSeconds > 0 ? sorted.Length / elapsed.TotalSeconds : 0,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.99),
            sorted.Length > 0 ? sorted[^1] : 0,
            statuses,
            failures);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

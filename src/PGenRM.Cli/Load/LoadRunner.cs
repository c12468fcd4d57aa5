using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace PGenRM.Cli.Load;

/// <summary>
/// Runs a bounded load: --concurrency workers, each sending one request at a time until the duration is over or the
/// request budget is spent. Requests in flight when the duration ends are finished and counted (each is bounded by
/// --timeout), so the run always stops. Kinds follow --mix by smooth weighted round-robin, so the shares hold exactly
/// even in short runs.
/// </summary>
internal sealed class LoadRunner
{
    private readonly LoadSettings _settings;
    private readonly LoadWorkload _workload;
    private readonly string _tenant;
    private readonly Lock _scheduleGate = new();
    private readonly Dictionary<RequestKind, double> _credit;
    private long _issued;

    public LoadRunner(LoadSettings settings, string tenant, string runTag)
    {
        _settings = settings;
        _tenant = tenant;
        _workload = new LoadWorkload(settings, runTag);
        _credit = settings.Mix.Where(m => m.Value > 0).ToDictionary(m => m.Key, _ => 0.0);
        Stats = LoadSettings.KindNames.ToDictionary(k => k.Kind, _ => new KindStats());
    }

    /// <summary>Per-kind counters; readable while the run goes (for the live table).</summary>
    public IReadOnlyDictionary<RequestKind, KindStats> Stats { get; }

    /// <summary>Runs to the bound and returns the wall time from the first request to the last answer.</summary>
    public async Task<TimeSpan> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = _settings.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        using var http = new HttpClient(handler) { BaseAddress = _settings.Server, Timeout = _settings.Timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Key);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_settings.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, _settings.Concurrency)
            .Select(i => Task.Run(() => WorkAsync(http, new Random(HashCode.Combine(_settings.Seed, i)), stop.Token, cancellationToken), CancellationToken.None))
            .ToArray();
        await Task.WhenAll(workers);
        return clock.Elapsed;
    }

    // `stop` ends the issuing of new requests; `abort` (Ctrl+C) also abandons the ones in flight.
    private async Task WorkAsync(HttpClient http, Random random, CancellationToken stop, CancellationToken abort)
    {
        while (!stop.IsCancellationRequested)
        {
            if (_settings.Requests is { } budget && Interlocked.Increment(ref _issued) > budget)
            {
                return;
            }

            var kind = NextKind();
            var (path, body) = _workload.Request(kind, _tenant, random);
            long started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsJsonAsync(path, body, abort);
                // Read the body, so that the latency covers the whole answer and the connection is reusable.
                await response.Content.ReadAsByteArrayAsync(abort);
                Stats[kind].Record((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (TaskCanceledException) when (!abort.IsCancellationRequested)
            {
                Stats[kind].Record(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"timeout after {_settings.Timeout.TotalSeconds:0} s");
            }
            catch (HttpRequestException e)
            {
                Stats[kind].Record(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.HttpRequestError + ": " + e.Message);
            }
            catch (IOException e)
            {
                // A connection reset while the body was read: no complete answer, so an error.
                Stats[kind].Record(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, "I/O: " + e.Message);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private RequestKind NextKind()
    {
        // Smooth weighted round-robin (as nginx balances upstreams): every kind gains its share, the one with the most
        // credit goes next and pays 1.
        lock (_scheduleGate)
        {
            RequestKind best = default;
            double most = double.NegativeInfinity;
            foreach (var (kind, share) in _settings.Mix)
            {
                if (share <= 0)
                {
                    continue;
                }

                double credit = _credit[kind] += share;
                if (credit > most)
                {
                    most = credit;
                    best = kind;
                }
            }

            _credit[best] -= 1;
            return best;
        }
    }
}

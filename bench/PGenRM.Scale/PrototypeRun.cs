using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Encoding;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Derived;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

namespace PGenRM.Scale;

/// <summary>
/// `--prototype`: one busy prototype grain on Azurite. Phase 1: `--reporters` concurrent callers send join reports
/// straight to prototype 0 for `--seconds` (the report rate one grain sustains with group commit, and its writes per
/// second from the commit-size histogram). Phase 2: `--users` users of one tenant send their first feedback,
/// `--reporters` at a time, all joining prototype 0 (no pass has run); per user, the delay from the acknowledgment to
/// its report being stored (`FlushReportsAsync` returns once the outbox is confirmed).
/// </summary>
internal static class PrototypeRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int reporters = Int(args, "--reporters", 64);
        int seconds = Int(args, "--seconds", 20);
        int users = Int(args, "--users", 2_000);
        string json = Arg(args, "--json") ?? "scale-prototype.json";
        Console.WriteLine(Inv($"# Scale --prototype {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {reporters} reporters for {seconds} s, then {users} users; {Environment.ProcessorCount} CPUs, load {Load()}"));

        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        string run = Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.Services.AddSingleton<ISentenceEncoder>(_ => new PrecomputedEncoder());
            silo.Services.AddPGenRMGrains();
            silo.AddPGenRMStorage(azurite.ConnectionString, new PGenRMStorageNames($"users{run}", $"items{run}", $"tenants{run}", $"prototypes-{run}"));
        });
        using var host = builder.Build();
        var commits = new ConcurrentQueue<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "pgenrm.derived.prototype.commit.size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => commits.Enqueue(value));
        listener.Start();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        int dimension = await DimensionAsync(host.Services);

        // Phase 1: reports straight to one prototype.
        const string Direct = "bench-direct";
        await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(Direct)).CreateAsync(new TenantSettings(), new string('0', 64));
        var prototype = grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(Direct, 0));
        await prototype.ApplyAsync(Join(Direct, -1, dimension));
        commits.Clear();
        long sent = 0;
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, reporters).Select(async r =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                long id = Interlocked.Increment(ref sent);
                long start = Stopwatch.GetTimestamp();
                await prototype.ApplyAsync(Join(Direct, id, dimension));
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var commitSizes = commits.ToArray();
        var summary = await prototype.GetSummaryAsync();
        double reportsPerSecond = sent / clock.Elapsed.TotalSeconds;
        double writesPerSecond = commitSizes.Length / clock.Elapsed.TotalSeconds;
        var directSorted = latencies.Order().ToArray();
        string load1 = Load();
        Console.WriteLine(Inv($"direct: {sent} reports in {clock.Elapsed.TotalSeconds:F1} s = {reportsPerSecond:F0}/s, {commitSizes.Length} writes = {writesPerSecond:F1}/s (mean {commitSizes.Average():F1} reports/write), members {summary.Members}; call p50 {Percentile(directSorted, 0.5):F0} ms p99 {Percentile(directSorted, 0.99):F0} ms; load {load1}"));

        // Phase 2: users' first feedback, all joining prototype 0; acknowledgment → report stored.
        const string Tenant = "bench-users";
        await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(Tenant)).CreateAsync(new TenantSettings(), new string('0', 64));
        commits.Clear();
        var delays = new double[users];
        var acks = new double[users];
        var phase2 = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = reporters }, async (u, _) =>
        {
            var user = grains.GetGrain<IUserGrain>(GrainKeys.User(Tenant, $"u{u}"));
            long start = Stopwatch.GetTimestamp();
            await user.ApplyFeedbackAsync(Feedback.Item(u % 50, $"f-{u}"));
            long acked = Stopwatch.GetTimestamp();
            await user.FlushReportsAsync();
            acks[u] = Stopwatch.GetElapsedTime(start, acked).TotalMilliseconds;
            delays[u] = Stopwatch.GetElapsedTime(acked).TotalMilliseconds;
        });
        phase2.Stop();
        var userPrototype = await grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(Tenant, 0)).GetSummaryAsync();
        Array.Sort(delays);
        Array.Sort(acks);
        var userCommits = commits.ToArray();
        string load2 = Load();
        Console.WriteLine(Inv($"users: {users} first feedback in {phase2.Elapsed.TotalSeconds:F1} s = {users / phase2.Elapsed.TotalSeconds:F0}/s; prototype 0 members {userPrototype.Members}, {userCommits.Length} writes (mean {(userCommits.Length == 0 ? 0 : userCommits.Average()):F1} reports/write); ack p50 {Percentile(acks, 0.5):F0} ms p99 {Percentile(acks, 0.99):F0} ms; ack → report stored p50 {Percentile(delays, 0.5):F0} ms p99 {Percentile(delays, 0.99):F0} ms; load {load2}"));

        var result = new Dictionary<string, object>
        {
            ["reporters"] = reporters,
            ["directSeconds"] = clock.Elapsed.TotalSeconds,
            ["directReports"] = sent,
            ["directReportsPerSecond"] = reportsPerSecond,
            ["directWritesPerSecond"] = writesPerSecond,
            ["directReportsPerWrite"] = commitSizes.Average(),
            ["directCallP50Ms"] = Percentile(directSorted, 0.5),
            ["directCallP99Ms"] = Percentile(directSorted, 0.99),
            ["prototypeStateBytes"] = PrototypeMembers.PackedLength(dimension),
            ["users"] = users,
            ["usersFeedbackPerSecond"] = users / phase2.Elapsed.TotalSeconds,
            ["usersPrototypeMembers"] = userPrototype.Members,
            ["usersPrototypeWrites"] = userCommits.Length,
            ["ackP50Ms"] = Percentile(acks, 0.5),
            ["ackP99Ms"] = Percentile(acks, 0.99),
            ["reportStoredAfterAckP50Ms"] = Percentile(delays, 0.5),
            ["reportStoredAfterAckP99Ms"] = Percentile(delays, 0.99),
            ["loadAverageDirect"] = load1,
            ["loadAverageUsers"] = load2,
        };
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        await host.StopAsync();
        return 0;
    }

    private static async Task<int> DimensionAsync(IServiceProvider services)
    {
        var evaluator = await services.GetRequiredService<SiloEvaluator>().GetAsync(CancellationToken.None);
        return evaluator.SchemeDimension;
    }

    /// <summary>A join of a distinct member with a random scheme.</summary>
    private static MembershipReport Join(string tenant, long id, int dimension)
    {
        var r = new Random((int)id);
        var scheme = Enumerable.Range(0, dimension).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        string key = GrainKeys.User(tenant, $"m{id}");
        long reportId = id + 2;
        return new MembershipReport(reportId, key, 1, scheme, scheme.Sum(x => (double)x * x), 1, new MemberSnapshot(key, scheme, [], 1, reportId));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Int(string[] args, string name, int fallback) => Arg(args, name) is string s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);
}

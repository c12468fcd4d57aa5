// Grain benchmark on Azurite: feedback items/s through one user grain and across 1,000 users, and the stored size of a
// user after 100 and 1,000 items. One silo (localhost clustering) with the real encoder, storage as the grain tests
// configure it (AddPGenRMStorage: Table and Blob storage, PGenRMGrainStorageSerializer), feedback texts shared with the
// grain tests (PGenRM.Testing.Feedback), client co-hosted, bounded loops on loopback.
// Usage: dotnet run -c Release --project bench/PGenRM.Grains.Bench -- [--items 1000] [--users 1000] [--concurrency 16]
//        [--scores 0] [--score-concurrency 64] [--only-scores]
// --scores N: N concurrent scores (each a new query, so each encodes one new text) through the scoring worker of a
// tenant with default settings, `--score-concurrency` in flight; --only-scores skips the feedback sections.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Encoding;
using PGenRM.Encoding.Onnx;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Bench;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

int items = IntArg(args, "--items", 1000);
int users = IntArg(args, "--users", 1000);
int concurrency = IntArg(args, "--concurrency", 16);
int scores = IntArg(args, "--scores", 0);
int scoreConcurrency = IntArg(args, "--score-concurrency", 64);
bool onlyScores = args.Contains("--only-scores");
var total = Stopwatch.StartNew();
Console.WriteLine(Inv(
    $"# Grain benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average at start {LoadAverage()}"));

await using var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
string storage = azurite.ConnectionString;
string run = Guid.NewGuid().ToString("N")[..8];
var userTable = new TableServiceClient(storage).GetTableClient($"users{run}");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering();
    silo.Services.AddSingleton<ISentenceEncoder>(_ => new OnnxSentenceEncoder());
    silo.Services.AddPGenRMGrains();
    silo.AddPGenRMStorage(storage, new PGenRMStorageNames($"users{run}", $"items{run}", $"tenants{run}", $"prototypes-{run}"));
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
Console.WriteLine(Inv($"Azurite and a 1-silo cluster up in {total.Elapsed.TotalSeconds:F1} s"));

if (scores > 0)
{
    await ScoresAsync(grains, scores, scoreConcurrency);
}

if (onlyScores)
{
    await host.StopAsync();
    return 0;
}

// (a) + (c) One user, sequential items; stored size at checkpoints.
var one = grains.GetGrain<IUserGrain>(GrainKeys.User("bench", "one"));
await one.ApplyFeedbackAsync(Feedback.Item(0, "warm-up-0"));
Console.WriteLine();
Console.WriteLine("| items applied (one user) | items/s in this segment | stored user (bytes in the table entity) | history kept / folded |");
Console.WriteLine("|---|---|---|---|");
int[] checkpoints = [.. new[] { 100, 256, 500, 1000 }.Where(c => c <= items).Append(items).Distinct()];
int applied = 1;
foreach (int checkpoint in checkpoints)
{
    var clock = Stopwatch.StartNew();
    int from = applied;
    for (; applied < checkpoint; applied++)
    {
        await one.ApplyFeedbackAsync(Feedback.Item(applied));
    }

    double rate = (applied - from) / clock.Elapsed.TotalSeconds;
    var profile = await one.GetProfileAsync();
    long size = await StoredBytesAsync(userTable, "one");
    Console.WriteLine(Inv($"| {profile.FeedbackCount} | {rate:F1} | {size:N0} | {profile.HistoryCount} / {profile.FoldedCount} |"));
}

// (b) 1,000 users, `concurrency` calls in flight: round 1 activates each user (storage read of a missing row) and
// applies its first item; round 2 applies a second item to the warm activations.
Console.WriteLine();
Console.WriteLine(Inv($"| {users} users, {concurrency} in flight | items | seconds | items/s |"));
Console.WriteLine("|---|---|---|---|");
for (int round = 0; round < 2; round++)
{
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(concurrency);
    var tasks = Enumerable.Range(0, users).Select(async u =>
    {
        await gate.WaitAsync();
        try
        {
            var receipt = await grains.GetGrain<IUserGrain>(GrainKeys.User("bench", $"u{u:D4}")).ApplyFeedbackAsync(Feedback.Item((u * 7) + round, $"r{round}-{(u * 7) + round}"));
            if (receipt.FeedbackCount != round + 1)
            {
                throw new InvalidOperationException($"user u{u:D4} counts {receipt.FeedbackCount} after round {round + 1}");
            }
        }
        finally
        {
            gate.Release();
        }
    }).ToList();
    await Task.WhenAll(tasks);
    double seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(Inv($"| round {round + 1} ({(round == 0 ? "activation + first item" : "second item, warm")}) | {users} | {seconds:F1} | {users / seconds:F1} |"));
}

// (d) The user model alone (no grain, no storage, no encoder): UserModel.Add with a full history refits the posterior
// over all kept pairs, which bounds what one user grain can apply per second.
var profileOne = await one.GetProfileAsync();
Console.WriteLine();
Console.WriteLine(Inv($"UserModel.Add alone at dimension {profileOne.Scheme.Length}, history full (256): {ModelOnly.AddsPerSecond(profileOne.Scheme.Length, 100):F1} adds/s"));

Console.WriteLine();
Console.WriteLine(Inv($"Total {total.Elapsed.TotalSeconds:F0} s; load average at end {LoadAverage()}"));

// Silos before Azurite (a silo whose storage vanished hangs in shutdown).
await host.StopAsync();
return 0;

// Scores/s through the scoring worker: a tenant with default settings, 20 users × 3 feedback items, then `count` scores
// (query i is new text; the candidates are four fixed answers, encoded once) by 20 users, `inFlight` at a time.
static async Task ScoresAsync(IGrainFactory grains, int count, int inFlight)
{
    string tenant = "bench-scores";
    await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).CreateAsync(new TenantSettings(), new string('0', 64));
    for (int u = 0; u < 20; u++)
    {
        for (int k = 0; k < 3; k++)
        {
            await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, $"s{u:D2}")).ApplyFeedbackAsync(Feedback.Item((u * 3) + k));
        }
    }

    string[] candidates = [Feedback.Concise(1), Feedback.Verbose(1), Feedback.Concise(2), Feedback.Verbose(2)];
    var worker = grains.GetGrain<IScoringWorker>(0);
    await worker.ScoreAsync(new ScoreRequest(tenant, "s00", "warm-up query", candidates));
    // The encoder's batch-size histogram (EncoderMetrics): ONNX runs and texts during the timed scores.
    long runs = 0, texts = 0;
    using var listener = new System.Diagnostics.Metrics.MeterListener
    {
        InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EncoderMetrics.MeterName && instrument.Name == "pgenrm.encoder.batch.size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        },
    };
    listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
    {
        Interlocked.Increment(ref runs);
        Interlocked.Add(ref texts, size);
    });
    listener.Start();
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(inFlight);
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var response = await worker.ScoreAsync(new ScoreRequest(tenant, $"s{i % 20:D2}", $"Score query {i}: {Feedback.Query(i)}", candidates));
            if (response.Rewards.Length != candidates.Length)
            {
                throw new InvalidOperationException($"score {i} has {response.Rewards.Length} rewards");
            }
        }
        finally
        {
            gate.Release();
        }
    }));
    double seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(Inv($"| scores, {inFlight} in flight | {count} | {seconds:F1} s | {count / seconds:F1} scores/s | {Interlocked.Read(ref texts)} texts in {Interlocked.Read(ref runs)} encoder runs ({(double)Interlocked.Read(ref texts) / Math.Max(1, Interlocked.Read(ref runs)):F1} per run) | load {LoadAverage()} |"));
}

static async Task<long> StoredBytesAsync(TableClient table, string user)
{
    long bytes = 0;
    await foreach (var entity in table.QueryAsync<TableEntity>())
    {
        if (entity.PartitionKey.EndsWith($"bench_{user}", StringComparison.Ordinal))
        {
            bytes += entity.Where(p => p.Key.StartsWith("Data", StringComparison.Ordinal)).Sum(p => p.Value is byte[] b ? b.Length : 0);
        }
    }

    return bytes;
}

static int IntArg(string[] args, string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static string Inv(FormattableString s) => FormattableString.Invariant(s);

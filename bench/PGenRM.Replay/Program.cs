// Online (service) vs batch accuracy on one Polis conversation. The conversation is split exactly like `pgenrm eval`
// (shared content, DataSplit with the default SplitOptions, seed 0); the batch numbers come from SplitEvaluator on that
// split, and the same split's TRAIN pairs are then sent one by one as feedback through the grains (user grain →
// UserModel.Add under its prototype's centroid, item grains refit per judgment, tenant re-clusters), and every seen
// user's TEST pairs are scored through the scoring worker with n = 0 and n = 8. Accuracy is macro over users, ties
// wrong (AccuracySummary, as the evaluation tables).
// One silo (localhost clustering) with the real encoder on Azurite, storage as the grain tests configure it.
// Usage: dotnet run -c Release --project bench/PGenRM.Replay -- [--conversation scoop-hivemind.freshwater]
//        [--concurrency 8] [--seed 0] [--out docs/eval/replay] [--data FOLDER] [--split-only]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Criteria;
using PGenRM.Core.Encoding;
using PGenRM.Core.Features;
using PGenRM.Core.Model;
using PGenRM.Core.Scenarios;
using PGenRM.Encoding.Onnx;
using PGenRM.Evaluation;
using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Metrics;
using PGenRM.Evaluation.Protocols;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

string conversation = StringArg(args, "--conversation", "scoop-hivemind.freshwater");
int concurrency = IntArg(args, "--concurrency", 8);
int seed = IntArg(args, "--seed", 0);
string output = StringArg(args, "--out", Path.Combine("docs", "eval", "replay"));
string dataRoot = Arg(args, "--data") ?? SharedDataLocator.Find();
if (concurrency < 1)
{
    throw new ArgumentException($"--concurrency must be at least 1, got {concurrency}.", nameof(args));
}

const int Neighbours = 8;
var total = Stopwatch.StartNew();
var log = new StringBuilder();
Say($"# Replay {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average at start {LoadAverage()}");

// 1. Data and split, as EvaluationRunner forms them (shared content, default split options).
var dataset = PolisLoader.Load(Path.Combine(dataRoot, "polis-opendata"), [conversation]);
var split = DataSplit.Create(dataset, EvaluationProtocol.SharedContent, new SplitOptions { Seed = seed });
Say($"{dataset.Describe().TrimEnd()}");
Say($"{split.Describe()}");
if (args.Contains("--split-only"))
{
    // Sizing a conversation before a full run.
    return 0;
}

// 2. Batch numbers on the identical split (the evaluation's own code path; ablations and cold-start curve off).
var batchClock = Stopwatch.StartNew();
Dictionary<string, AccuracySummary> batch;
Dictionary<string, Dictionary<string, UserTally>> batchUsers;
using (var encoder = new OnnxSentenceEncoder())
{
    var bank = await CriteriaBank.CreateAsync(encoder);
    var scenarios = await ScenarioSet.CreateAsync(encoder);
    var space = FeatureSpace.Create(bank, scenarios);
    var featurized = await Featurizer.BuildAsync(dataset, space, new EmbeddingStore(encoder, null));
    var settings = new EvaluationSettings { Ablations = false, IndividualM = [], PrototypeN = [Neighbours], ColdStartK = [] };
    var result = new SplitEvaluator(featurized, split, settings).Run(new Progress<string>(p => Console.WriteLine($"  batch: {p}")));
    string[] rows = [MethodNames.Population, MethodNames.ItemPopularity, MethodNames.Full, MethodNames.Prototype(Neighbours)];
    batch = rows.ToDictionary(r => r, r => AccuracySummary.From(result.Seen[r].Values.ToList(), TieConvention.TiesWrong), StringComparer.Ordinal);
    batchUsers = rows.ToDictionary(r => r, r => result.Seen[r], StringComparer.Ordinal);
}

double batchSeconds = batchClock.Elapsed.TotalSeconds;
Say($"Batch (train + score) in {batchSeconds:F1} s");

// 3. The service: Azurite, one silo with the real encoder, a tenant with N = 8 and 8 prototypes.
await using var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
string run = Guid.NewGuid().ToString("N")[..8];
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering();
    silo.Services.AddSingleton<ISentenceEncoder>(_ => new OnnxSentenceEncoder());
    silo.Services.AddPGenRMGrains();
    silo.AddPGenRMStorage(azurite.ConnectionString, new PGenRMStorageNames($"users{run}", $"items{run}", $"tenants{run}", $"prototypes-{run}"));
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
string tenant = $"replay-{run}";
var tenantSettings = new TenantSettings(Prototypes: 8, N: Neighbours);
var tenantGrain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
await tenantGrain.CreateAsync(tenantSettings, new string('a', 64));
Say($"Azurite and a 1-silo cluster up; tenant {tenant}: {tenantSettings}");

// Grain keys reject '/', which Polis ids contain ("conversation/voter", "conversation/comment"): ':' stands in for it.
static string Key(string id) => id.Replace('/', ':');
string Prompt(string promptId) => dataset.Prompts[promptId].Text;
string Text(string itemId) => dataset.Items[itemId].Text;

// Feedback order: round-robin over users (each user's k-th pair, then the (k+1)-th), so the half-way re-clustering
// sees every user half-trained, as a live service would, rather than half the users complete and half absent.
var byUser = split.Train.GroupBy(p => p.UserId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
    .Select(g => (User: g.Key, Pairs: g.ToList(), Weight: RatingPairs.Weight(g.Select(p => (p.ChosenId, p.RejectedId)).ToList(), StringComparer.Ordinal)))
    .ToList();
var schedule = Enumerable.Range(0, byUser.Max(u => u.Pairs.Count))
    .SelectMany(k => byUser.Where(u => k < u.Pairs.Count).Select(u => (u.User, Pair: u.Pairs[k], u.Weight)))
    .ToList();
int half = schedule.Count / 2;
var feedbackClock = Stopwatch.StartNew();
await SendAsync(schedule.Take(half).ToList(), 0);
var directory = await tenantGrain.ReclusterAsync();
Say($"Re-clustered at half-way ({half} pairs): directory version {directory.Version}, {directory.Centroids.Count} prototypes, members [{string.Join(", ", directory.Counts)}], collaborative scale {directory.CollaborativeScale?.ToString(CultureInfo.InvariantCulture) ?? "none"}, priors shrunk with κ = {directory.Kappa.ToString("G3", CultureInfo.InvariantCulture)}");
await SendAsync(schedule.Skip(half).ToList(), half);
directory = await tenantGrain.ReclusterAsync();
double feedbackSeconds = feedbackClock.Elapsed.TotalSeconds;
Say($"Feedback: {schedule.Count} pairs in {feedbackSeconds:F1} s ({schedule.Count / feedbackSeconds:F1} items/s, {concurrency} in flight); final directory version {directory.Version}, members [{string.Join(", ", directory.Counts)}], collaborative scale {directory.CollaborativeScale?.ToString(CultureInfo.InvariantCulture) ?? "none"}, priors shrunk with κ = {directory.Kappa.ToString("G3", CultureInfo.InvariantCulture)}");

// Every user re-syncs with the final directory (the tenant cache holds a directory for up to 5 s: wait that out).
await Task.Delay(TimeSpan.FromSeconds(6));
var resyncClock = Stopwatch.StartNew();
var encoderForQueries = host.Services.GetRequiredService<ISentenceEncoder>();
var queryEmbedding = await encoderForQueries.EncodeAsync(Prompt(conversation));
await ForEachAsync(byUser.Select(u => u.User).ToList(), async user =>
    await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, Key(user))).GetSchemesAsync(new SchemeRequest(queryEmbedding, 1, "replay-resync")));
Say($"Re-sync of {byUser.Count} users in {resyncClock.Elapsed.TotalSeconds:F1} s");

// 4. Scoring every seen user's test pairs through the scoring worker.
var online = new Dictionary<string, AccuracySummary>(StringComparer.Ordinal);
var onlineUsers = new Dictionary<string, Dictionary<string, UserTally>>(StringComparer.Ordinal);
var scoreSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
var tests = split.SeenTest.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value).ToList();
foreach (int n in new[] { 0, Neighbours })
{
    var tallies = split.SeenTest.Keys.ToDictionary(u => u, _ => new UserTally(), StringComparer.Ordinal);
    var clock = Stopwatch.StartNew();
    int index = 0, coldStart = 0, neighbourSum = 0, placed = 0, wrongN = 0;
    await ForEachAsync(tests, async pair =>
    {
        int worker = Interlocked.Increment(ref index);
        var response = await grains.GetGrain<IScoringWorker>(worker % concurrency).ScoreAsync(new ScoreRequest(
            tenant, Key(pair.UserId), Prompt(pair.PromptId), [Text(pair.ChosenId), Text(pair.RejectedId)],
            [Key(pair.ChosenId), Key(pair.RejectedId)], M: 1, N: n));
        var outcome = SplitEvaluator.Outcome(response.Rewards[0] - response.Rewards[1]);
        // Checks that the numbers come from a trained user and the requested scaling, not a silent fallback.
        Interlocked.Add(ref coldStart, response.IsColdStart ? 1 : 0);
        Interlocked.Add(ref placed, response.Prototype is null ? 0 : 1);
        Interlocked.Add(ref neighbourSum, response.Neighbours.Count);
        Interlocked.Add(ref wrongN, response.N == n && response.M == 1 ? 0 : 1);
        var tally = tallies[pair.UserId];
        lock (tally)
        {
            tally.Add(outcome);
        }
    });
    string name = $"online n={n}";
    scoreSeconds[name] = clock.Elapsed.TotalSeconds;
    online[name] = AccuracySummary.From(tallies.Values.ToList(), TieConvention.TiesWrong);
    onlineUsers[name] = tallies;
    Say($"Scored {tests.Count} test pairs with n = {n} in {scoreSeconds[name]:F2} s ({tests.Count / scoreSeconds[name]:F1} pairs/s); responses: {coldStart} cold start, {placed} with a prototype, {neighbourSum / (double)tests.Count:F2} neighbours on average, {tallies.Values.Sum(t => t.Ties)} ties");
    if (wrongN > 0)
    {
        throw new InvalidOperationException($"{wrongN} responses report other m/n than requested (m = 1, n = {n}).");
    }
}

// 5. Result: console, Markdown and JSON.
var table = new StringBuilder();
table.AppendLine(Inv($"Polis `{conversation}`, shared content, seed {seed}: {split.Train.Count} train pairs from {byUser.Count} users; {split.SeenTest.Count} seen users with {tests.Count} test pairs."));
table.AppendLine();
table.AppendLine("| method | macro accuracy (ties wrong) | 95 % interval | micro | users | pairs |");
table.AppendLine("|---|---|---|---|---|---|");
foreach (var (method, s) in batch.Select(kv => ($"batch: {kv.Key}", kv.Value)).Concat(online.Select(kv => ($"online (grains): {kv.Key}", kv.Value))))
{
    table.AppendLine(Inv($"| {method} | {100 * s.Macro:F1} | {100 * s.Low:F1}–{100 * s.High:F1} | {100 * s.Micro:F1} | {s.Users} | {s.Pairs} |"));
}

// Paired over users (the same resampled users for both), as the evaluation's Δ columns.
static Dictionary<string, double> PerUser(Dictionary<string, UserTally> tallies) =>
    tallies.Where(kv => kv.Value.Total > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy(TieConvention.TiesWrong)!.Value, StringComparer.Ordinal);
var paired = new Dictionary<string, (double Mean, double Low, double High)>(StringComparer.Ordinal)
{
    ["online n=0 − batch full, no scaling"] = Bootstrap.PairedDifference(PerUser(onlineUsers["online n=0"]), PerUser(batchUsers[MethodNames.Full])),
    [$"online n={Neighbours} − batch full + prototype n={Neighbours}"] = Bootstrap.PairedDifference(PerUser(onlineUsers[$"online n={Neighbours}"]), PerUser(batchUsers[MethodNames.Prototype(Neighbours)])),
    ["online n=0 − batch population"] = Bootstrap.PairedDifference(PerUser(onlineUsers["online n=0"]), PerUser(batchUsers[MethodNames.Population])),
};
table.AppendLine();
table.AppendLine("| paired difference over users (points) | mean | 95 % interval |");
table.AppendLine("|---|---|---|");
foreach (var (label, d) in paired)
{
    table.AppendLine(Inv($"| {label} | {100 * d.Mean:+0.0;−0.0;0.0} | {100 * d.Low:+0.0;−0.0;0.0} to {100 * d.High:+0.0;−0.0;0.0} |"));
}

table.AppendLine();
table.AppendLine(Inv($"Feedback: {schedule.Count} pairs in {feedbackSeconds:F0} s = {schedule.Count / feedbackSeconds:F1} items/s ({concurrency} in flight); scoring n = 0: {tests.Count / scoreSeconds["online n=0"]:F1} pairs/s, n = {Neighbours}: {tests.Count / scoreSeconds[$"online n={Neighbours}"]:F1} pairs/s; batch train + score {batchSeconds:F0} s; total {total.Elapsed.TotalSeconds:F0} s; load average at end {LoadAverage()}."));
Console.WriteLine();
log.AppendLine();
Console.Write(table);
log.Append(table);

Directory.CreateDirectory(output);
await File.WriteAllTextAsync(Path.Combine(output, "replay.md"), $"# Online vs batch replay\n\n```\n{log}```\n");
await File.WriteAllTextAsync(Path.Combine(output, "replay.json"), JsonSerializer.Serialize(new
{
    conversation,
    seed,
    protocol = "shared content",
    trainPairs = schedule.Count,
    trainUsers = byUser.Count,
    seenTestUsers = split.SeenTest.Count,
    testPairs = tests.Count,
    concurrency,
    feedbackSeconds,
    feedbackItemsPerSecond = schedule.Count / feedbackSeconds,
    scoreSeconds,
    batchSeconds,
    totalSeconds = total.Elapsed.TotalSeconds,
    directoryVersion = directory.Version,
    batch,
    online,
    paired = paired.ToDictionary(kv => kv.Key, kv => new { mean = kv.Value.Mean, low = kv.Value.Low, high = kv.Value.High }),
}, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Say($"Wrote {Path.Combine(output, "replay.md")} and replay.json");

// Silos before Azurite (a silo whose storage vanished hangs in shutdown).
await host.StopAsync();
return 0;

async Task SendAsync(List<(string User, PairJudgment Pair, double Weight)> items, int offset)
{
    int position = offset;
    var clock = Stopwatch.StartNew();
    await ForEachAsync(items.Select((item, i) => (item, i: offset + i)).ToList(), async entry =>
    {
        var (user, pair, weight) = entry.item;
        await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, Key(user))).ApplyFeedbackAsync(new FeedbackItem(
            $"replay-{entry.i}", Prompt(pair.PromptId), Text(pair.ChosenId), Text(pair.RejectedId),
            Key(pair.ChosenId), Key(pair.RejectedId), weight, DateTimeOffset.UtcNow));
        int done = Interlocked.Increment(ref position);
        if (done % 250 == 0)
        {
            Console.WriteLine(Inv($"  feedback {done}/{schedule.Count}: {(done - offset) / clock.Elapsed.TotalSeconds:F1} items/s in this half, {total.Elapsed.TotalSeconds:F0} s elapsed"));
        }
    });
}

async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> body)
{
    using var gate = new SemaphoreSlim(concurrency);
    await Task.WhenAll(items.Select(async item =>
    {
        await gate.WaitAsync();
        try
        {
            await body(item);
        }
        finally
        {
            gate.Release();
        }
    }));
}

void Say(FormattableString line)
{
    string text = Inv(line);
    Console.WriteLine(text);
    log.AppendLine(text);
}

static int IntArg(string[] args, string name, int fallback)
{
    string? value = Arg(args, name);
    return value is null ? fallback
        : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) ? parsed
        : throw new ArgumentException($"{name} must be an integer, got '{value}'.", nameof(args));
}

static string StringArg(string[] args, string name, string fallback) => Arg(args, name) ?? fallback;

static string? Arg(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.", nameof(args));
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static string Inv(FormattableString s) => FormattableString.Invariant(s);

// Simulated scale run of one tenant (no encoder, no storage): users in planted groups with precomputed schemes and a
// skewed number of feedback items each. Stored sizes come from the real packers (UserStatePacker, the feedback log's
// row format, the prototype state as the Orleans serializer stores it); the prototypes are the grain's own statistics
// (PrototypeMembers), and the re-clustering passes run PrototypeClustering over their reservoirs. Writes the JSON object that docs/BENCHMARKS.md
// "Scale" reads. Usage: dotnet run -c Release --project bench/PGenRM.Scale -- --users N --json FILE [--groups K]
// [--seed S] [--mean-items M]
// --azurite: the feedback path on Azurite instead (AzuriteRun): [--users N] [--feedback-per-user F] [--items I]
// [--concurrency C] [--users-per-tenant U] [--raw-rows R] [--item-partitions P] [--item-flush-ms W] [--json FILE]
// --prototype: one busy prototype grain on Azurite (PrototypeRun): [--reporters C] [--seconds S] [--users N] [--json FILE]
// --azurite-tables: Azurite's insert, point read and query times as a table grows (AzuriteTableProbe): [--rows N]
// [--step S] [--probes P] [--json FILE]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Log;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

if (args.Contains("--prototype"))
{
    return await PGenRM.Scale.PrototypeRun.RunAsync(args);
}

if (args.Contains("--azurite-tables"))
{
    return await PGenRM.Scale.AzuriteTableProbe.RunAsync(args);
}

if (args.Contains("--azurite"))
{
    return await PGenRM.Scale.AzuriteRun.RunAsync(args);
}

int users = IntArg("--users", 1_000_000);
string json = StringArg("--json", "scale.json");
int groups = IntArg("--groups", 8);
int seed = IntArg("--seed", 0);
int meanItems = IntArg("--mean-items", 12);

// Per-dimension noise around a group's unit centroid: a user is further from its centroid (0.25·√80 ≈ 2.2) than two
// centroids are from each other (≈ 1.4), so a user's own group is not obvious from its nearest neighbours.
const float Noise = 0.25f;
if (users < groups || groups < 2 || meanItems < 1)
{
    throw new ArgumentException($"Need --users ≥ --groups ≥ 2 and --mean-items ≥ 1 (got {users}, {groups}, {meanItems}).");
}

const int Features = 72, Factors = 8, Dimension = Features + Factors + 1, History = 256, EmbeddingDimension = 384; // θ = [w; p; δ]
var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
var total = Stopwatch.StartNew();

// Planted groups: unit centroids; a user's scheme is its centroid plus isotropic noise (re-derived from the user's index).
var rng = new Random(seed);
var centroids = Enumerable.Range(0, groups).Select(_ => Unit(Gaussian(rng, Dimension))).ToArray();
float[] Scheme(int user, out int group)
{
    var r = new Random(Mix(seed, user, 0));
    group = user % groups;
    var noise = Gaussian(r, Dimension);
    var s = new float[Dimension];
    for (int i = 0; i < Dimension; i++)
    {
        s[i] = centroids[group][i] + (Noise * noise[i]);
    }

    return s;
}

int Items(int user)
{
    // Most users send a few items (geometric, mean --mean-items); 1 in 100 is a heavy user with 256–10,000 items.
    var r = new Random(Mix(seed, user, 1));
    if (r.Next(100) == 0)
    {
        return r.Next(History, 10_001);
    }

    return 1 + (int)Math.Floor(Math.Log(1 - r.NextDouble()) / Math.Log(1 - (1.0 / meanItems)));
}

// One log row: a typical pair with its texts and its stored pair (content diff, factors, query embedding at float16).
var log = new FeedbackLog(new TableClient("UseDevelopmentStorage=true", "PGenRMFeedback"), serializer);
var item = Feedback.Item(7);
var pair = StoredPair.From(item.FeedbackId, new PairEvidence(
    "c-" + Guid.NewGuid().ToString("N"), "r-" + Guid.NewGuid().ToString("N"), Gaussian(rng, Features).Select(x => (double)x).ToArray(),
    new ItemView(0.3, Gaussian(rng, Factors).Select(x => (double)x).ToArray()), new ItemView(-0.2, Gaussian(rng, Factors).Select(x => (double)x).ToArray()),
    Gaussian(rng, EmbeddingDimension), 1), item.At);
var entry = new LogEntry
{
    FeedbackId = Guid.NewGuid().ToString(), Sequence = 42, Query = item.Query, Texts = [item.Chosen, item.Rejected],
    ItemIds = [pair.ChosenItemId, pair.RejectedItemId], FactorPriors = [Gaussian(rng, Factors), Gaussian(rng, Factors)],
    PackedPairs = UserStatePacker.PackPairs([pair]), At = item.At,
};
string userKey = $"tenant-{Guid.NewGuid():N}"[..20] + "/" + Guid.NewGuid();

// Keys, the Seq property and property names, besides the payload (Azure bills ~ these bytes; the exact overhead is the service's).
int logRowBytes = log.PayloadBytes(entry) + System.Text.Encoding.UTF8.GetByteCount(TableKeys.Escape(userKey) + TableKeys.Escape(entry.FeedbackId)) + 8 + 16;

// The user state as the grain checkpoints it for n items (shapes from UserGrain: folded statistics only past the history).
var folded = PackedSymmetric.Pack(Gaussian(rng, Dimension * Dimension).Select(x => (double)x).ToArray(), Dimension);
var foldedMean = Gaussian(rng, Dimension);
var sketch = Gaussian(rng, JudgmentSketch.DefaultLength);
var recentIds = Enumerable.Range(0, UserGrain.RecentWindow).Select(_ => Guid.NewGuid().ToString()).ToArray();
int StateBytes(int n, float[] scheme) => UserStatePacker.Pack(new UserState
{
    FoldedMean = n > History ? foldedMean : [],
    FoldedPrecision = n > History ? folded : [],
    FoldedCount = Math.Max(0, n - History),
    RecentFeedback = [.. recentIds.Take(Math.Min(n, UserGrain.RecentWindow))],
    LogSequence = n,
    FeedbackCount = n,
    HistoryFromSequence = Math.Max(1, n - History + 1),
    JudgmentSketch = sketch,
    Prototype = 3,
    ModelVersion = "compact-hybrid-bt/2 (all-MiniLM-L6-v2; features/72)",
    MembershipVersion = 12,
    ReportedScheme = scheme,
    ReportedPairs = Math.Min(n, 10_000),
    ReportSequence = n / UserMembership.ReportEveryFeedback,

    // An upper bound: one prototype report not yet confirmed when the checkpoint is written (a report is made at most
    // every few feedback items and confirmed within a prototype write; a move would make two).
    Outbox = [new PendingReport { Id = long.MaxValue - n, Prototype = 3, SchemeDelta = new byte[Dimension * sizeof(float)], SquaredNormDelta = 0.5, PairsDelta = 8, Sequence = n }],
}, serializer).Length;

// Pass 1: every user's state size and written bytes; each user's first update joins a prototype (PrototypeMembers, the
// prototype grain's own statistics): before the first re-clustering the directory has one prototype, so all join 0.
var sizes = new int[users];
long feedbackItems = 0;
double bytesWritten = 0;
string tenantId = "tenant-0123456789";
var sketchKey = sketch;
MembershipReport JoinReport(int u, float[] scheme, long id) =>
    new(id, $"{tenantId}/{u:D12}-user", 1, scheme, scheme.Sum(x => (double)x * x), 12, new MemberSnapshot($"{tenantId}/{u:D12}-user", scheme, sketchKey, 12, id));
var firstPrototype = new PrototypeMembers($"{tenantId}/0", Dimension);
var pass1 = Stopwatch.StartNew();
for (int u = 0; u < users; u++)
{
    var scheme = Scheme(u, out _);
    int n = Items(u);
    sizes[u] = StateBytes(n, scheme);
    feedbackItems += n;

    // n log rows, a checkpoint every CheckpointEvery items and one for the rest at deactivation (the first item writes
    // none since the append-first path; the join rides on one of these), sized as the final state: an upper bound.
    bytesWritten += ((double)n * logRowBytes) + (((n + UserGrain.CheckpointEvery - 1) / UserGrain.CheckpointEvery) * (double)sizes[u]);
    firstPrototype.Apply(JoinReport(u, scheme, u + 1));
}

pass1.Stop();
Array.Sort(sizes);

// Re-clustering as the tenant's background job runs it (PrototypeClustering over the prototypes' reservoirs), twice:
// pass 1 over the one reservoir of version 0 (256 of all users), then every user re-checks itself against the new
// directory (UserMembership.Recheck, with the move margin) and joins its prototype's statistics; pass 2 over the k
// reservoirs of those prototypes (warm start from pass 1). ARI of the users' prototypes against the planted groups.
var planted = new int[users];
var assigned = new int[users];
var pass1Clock = Stopwatch.StartNew();
var directory1 = PrototypeClustering.Run([(firstPrototype.Count, firstPrototype.Reservoir())], [], groups, 1, PrototypeClustering.Seed(tenantId, 1), new HybridModelOptions().PriorScaleGrid)!;
pass1Clock.Stop();
var assign = Stopwatch.StartNew();
var prototypes = Enumerable.Range(0, groups).Select(p => new PrototypeMembers($"{tenantId}/{p}", Dimension)).ToArray();
for (int u = 0; u < users; u++)
{
    var scheme = Scheme(u, out planted[u]);
    assigned[u] = UserMembership.Recheck(directory1, 0, scheme, $"{tenantId}/{u:D12}-user");
    prototypes[assigned[u]].Apply(JoinReport(u, scheme, u + 1));
}

assign.Stop();
double ari1 = ClusteringMetrics.AdjustedRandIndex(planted, assigned);
var recluster = Stopwatch.StartNew();
var directory2 = PrototypeClustering.Run(prototypes.Select(p => (p.Count, p.Reservoir())).ToList(), directory1.Centroids, groups, 2, PrototypeClustering.Seed(tenantId, 2), new HybridModelOptions().PriorScaleGrid)!;
recluster.Stop();
int moved = 0;
for (int u = 0; u < users; u++)
{
    int now = UserMembership.Recheck(directory2, assigned[u], Scheme(u, out _), $"{tenantId}/{u:D12}-user");
    moved += now != assigned[u] ? 1 : 0;
    assigned[u] = now;
}

double ari = ClusteringMetrics.AdjustedRandIndex(planted, assigned);

// The prototype state as the grain stores it (fixed-size packed statistics), for the largest prototype and for one of
// 10 members; and the tenant state with the directory.
var largest = prototypes.MaxBy(p => p.Count)!;
long members = largest.Count;
long prototypeBytes = serializer.SerializeToArray(new PrototypeState { Format = PrototypeMembers.Format, Packed = largest.Pack() }).LongLength;
var ten = new PrototypeMembers($"{tenantId}/9", Dimension);
for (int u = 0; u < 10; u++)
{
    ten.Apply(JoinReport(u, Scheme(u, out _), u + 1));
}

long prototypeBytes10 = serializer.SerializeToArray(new PrototypeState { Format = PrototypeMembers.Format, Packed = ten.Pack() }).LongLength;
long tenantBytes = serializer.SerializeToArray(new TenantState
{
    Created = true,
    ApiKeyHashes = [new string('a', 64)],
    CentroidVersion = directory2.Version,
    Centroids = [.. directory2.Centroids],
    Counts = [.. directory2.Counts],
    PrototypeSlots = groups,
    LastReclusterAt = DateTimeOffset.UnixEpoch,
}).LongLength;

var result = new Dictionary<string, object>
{
    ["mode"] = "simulated",
    ["users"] = users,
    ["groups"] = groups,
    ["dimension"] = Dimension,
    ["noisePerDimension"] = Noise,
    ["feedbackItems"] = feedbackItems,
    ["userStateBytesP50"] = sizes[users / 2],
    ["userStateBytesP99"] = sizes[Math.Min(users - 1, (int)(users * 0.99))],
    ["userStateBytesMax"] = sizes[^1],
    ["logRowBytes"] = logRowBytes,
    ["bytesWrittenPerFeedback"] = Math.Round(bytesWritten / feedbackItems, 1),
    ["prototypeMembers"] = members,
    ["prototypeStateBytes"] = prototypeBytes,
    ["prototypeStateBytesWith10Members"] = prototypeBytes10,
    ["tenantStateBytes"] = tenantBytes,
    ["reclusterSample"] = prototypes.Sum(p => p.Sampled),
    ["reclusterSeconds"] = Math.Round(recluster.Elapsed.TotalSeconds, 3),
    ["reclusterAri"] = Math.Round(ari, 4),
    ["firstPassSample"] = firstPrototype.Sampled,
    ["firstPassSeconds"] = Math.Round(pass1Clock.Elapsed.TotalSeconds, 3),
    ["firstPassAri"] = Math.Round(ari1, 4),
    ["movedAfterSecondPass"] = moved,
    ["assignAllUsersSeconds"] = Math.Round(assign.Elapsed.TotalSeconds, 3),
    ["sizePassSeconds"] = Math.Round(pass1.Elapsed.TotalSeconds, 3),
    ["totalSeconds"] = Math.Round(total.Elapsed.TotalSeconds, 3),
};
string text = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
File.WriteAllText(json, text);
Console.WriteLine(text);
return 0;

static float[] Gaussian(Random r, int n)
{
    var v = new float[n];
    for (int i = 0; i < n; i++)
    {
        v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
    }

    return v;
}

// A per-user seed that is the same in every run (HashCode.Combine is randomised per process).
static int Mix(int seed, int user, int stream) => unchecked((int)(((uint)seed * 2654435761u) ^ ((uint)user * 40503u) ^ ((uint)stream * 2246822519u) ^ ((uint)user << 16)));

static float[] Unit(float[] v)
{
    float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
    return Array.ConvertAll(v, x => x / norm);
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
}

string StringArg(string name, string fallback) => Arg(name) ?? fallback;

int IntArg(string name, int fallback) =>
    Arg(name) is string s
        ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{name} must be an integer, got '{s}'.")
        : fallback;

// Simulated scale run of one tenant (no encoder, no storage): users in planted groups with precomputed schemes and a
// skewed number of feedback items each. Stored sizes come from the real packers (UserStatePacker, the feedback log's
// row format, the prototype state as the Orleans serializer stores it); the re-clustering pass is the tenant's k-means
// over a bounded sample of the size of the prototypes' reservoirs. Writes the JSON object that docs/BENCHMARKS.md
// "Scale" reads. Usage: dotnet run -c Release --project bench/PGenRM.Scale -- --users N --json FILE [--groups K]
// [--seed S] [--mean-items M]
// --azurite: the feedback path on Azurite instead (AzuriteRun): [--users N] [--feedback-per-user F] [--items I]
// [--concurrency C] [--users-per-tenant U] [--raw-rows R] [--json FILE]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
using PGenRM.Grains;
using PGenRM.Grains.Log;
using PGenRM.Grains.Storage;
using PGenRM.Testing;

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

const int Features = 72, Factors = 8, Dimension = Features + Factors, History = 256, EmbeddingDimension = 384;
var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
var total = Stopwatch.StartNew();

// Planted groups: unit centroids; a user's scheme is its centroid plus isotropic noise (re-derived from the user's index).
var rng = new Random(seed);
var centroids = Enumerable.Range(0, groups).Select(_ => Unit(Gaussian(rng, Dimension))).ToArray();
float[] Scheme(int user, out int group)
{
    var r = new Random(HashCode.Combine(seed, user));
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
    var r = new Random(HashCode.Combine(seed, user, 1));
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
    ModelVersion = "compact-hybrid-bt/1 (all-MiniLM-L6-v2; features/72)",
    MembershipVersion = 12,
    ReportedScheme = scheme,
    ReportSequence = (long)n << 20,
}, serializer).Length;

// Pass 1: every user's state size and written bytes; a uniform sample of the reservoirs' total size (Algorithm R).
int sampleSize = groups * PrototypeGrain.ReservoirCapacity;
var sample = new List<float[]>(sampleSize);
var sizes = new int[users];
long feedbackItems = 0;
double bytesWritten = 0;
var sampler = new Random(seed + 1);
var pass1 = Stopwatch.StartNew();
for (int u = 0; u < users; u++)
{
    var scheme = Scheme(u, out _);
    int n = Items(u);
    sizes[u] = StateBytes(n, scheme);
    feedbackItems += n;

    // n log rows, and a checkpoint on the first item and every CheckpointEvery after (sized as the final state: an upper bound).
    bytesWritten += ((double)n * logRowBytes) + ((1 + (n / UserGrain.CheckpointEvery)) * (double)sizes[u]);
    if (sample.Count < sampleSize)
    {
        sample.Add(scheme);
    }
    else if (sampler.NextInt64(u + 1) is var j && j < sampleSize)
    {
        sample[(int)j] = scheme;
    }
}

pass1.Stop();
Array.Sort(sizes);

// The re-clustering pass as the tenant runs it (PrototypeClustering: k-means, cosine), over the bounded sample.
var recluster = Stopwatch.StartNew();
var fit = new KMeans(new KMeansOptions { K = groups, Seed = seed, Metric = DistanceMetric.Cosine }).Fit(sample);
recluster.Stop();
var found = fit.Centroids;

// Pass 2: every user against the new directory (what users do lazily on their next call), ARI against the planted groups.
var assign = Stopwatch.StartNew();
var planted = new int[users];
var assigned = new int[users];
for (int u = 0; u < users; u++)
{
    var scheme = Scheme(u, out planted[u]);
    assigned[u] = CentroidAssignment.Nearest(scheme, found, DistanceMetric.Cosine).Index;
}

assign.Stop();
double ari = ClusteringMetrics.AdjustedRandIndex(planted, assigned);

// The prototype state as stored today (PrototypeState: a member entry per user, the reservoir) for the largest group.
int members = (users + groups - 1) / groups;
var prototype = new PrototypeState { Joined = members, Version = members };
var memberScheme = FloatBytesOf(centroids[0]);
for (int m = 0; m < members; m++)
{
    prototype.Members[$"tenant-0123456789/{m:D12}-user"] = new StoredMember { Sequence = (long)m << 20, Scheme = memberScheme, PairCount = 12 };
}

for (int r = 0; r < PrototypeGrain.ReservoirCapacity; r++)
{
    prototype.Reservoir.Add(new StoredSnapshot { UserKey = $"tenant-0123456789/{r:D12}-user", Scheme = memberScheme, Key = FloatBytesOf(sketch), PairCount = 12, Sequence = r });
}

long prototypeBytes = serializer.SerializeToArray(prototype).LongLength;

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
    ["reclusterSample"] = sample.Count,
    ["reclusterSeconds"] = Math.Round(recluster.Elapsed.TotalSeconds, 3),
    ["reclusterAri"] = Math.Round(ari, 4),
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

static float[] Unit(float[] v)
{
    float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
    return Array.ConvertAll(v, x => x / norm);
}

static byte[] FloatBytesOf(float[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

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

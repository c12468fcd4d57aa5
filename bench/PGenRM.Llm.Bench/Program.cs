using System.Diagnostics;
using System.Globalization;
using PGenRM.Evaluators.Llm;
using PGenRM.Testing;

// 1. Backend overhead per chain: no decoding delay, m = 1, n = 0, cache off, distinct queries (prompt building, HTTP on
//    loopback through the resilience pipeline, JSON, parsing, fusion; the fake's own work included).
// 2. m = 16, n = 8 vs one chain with a fixed per-token delay, with n-sampling in one request and without (one request per chain).
var inv = CultureInfo.InvariantCulture;
int overheadRuns = args.Length > 0 ? int.Parse(args[0], inv) : 300;
var tokenDelay = TimeSpan.FromMilliseconds(args.Length > 1 ? double.Parse(args[1], inv) : 2);
int repeats = args.Length > 2 ? int.Parse(args[2], inv) : 5;

await using var server = await FakeOpenAiServer.StartAsync();
const string A = "Use a Counter.";
const string B = "There are many ways to count words, and it depends on your situation.";
server.Handler = (call, _) => FakeReply.Text(call.Response1 == A ? FakeChains.Valid(8, 4) : FakeChains.Valid(4, 8));
using var endpoint = new LlmEndpoint(new LlmEndpointOptions { Name = "bench", Endpoint = server.BaseUri });
using var metrics = new LlmMetrics();
var history = Enumerable.Range(0, 16).Select(i => new JudgePair($"Question {i} about counting words?", $"Short answer {i}.", $"Long answer {i} with many words.")).ToList();
var neighbours = Enumerable.Range(0, 8).Select(i => new JudgeNeighbour($"n{i}", history)).ToList();
JudgeRequest Request(int q, int m, int n) => new("u", 1, $"How do I count words quickly? ({q})", [A, B], history, null, neighbours, m, n);

// Warm-up (JIT, connection pool).
var warm = new LlmJudge(endpoint, new LlmJudgeOptions { Model = "bench", MaxConcurrency = 32 }, metrics);
for (int i = 0; i < 20; i++)
{
    await warm.JudgeAsync(Request(-i - 1, 1, 0));
}

var clock = Stopwatch.StartNew();
for (int i = 0; i < overheadRuns; i++)
{
    await warm.JudgeAsync(Request(i, 1, 0));
}

double overheadMs = clock.Elapsed.TotalMilliseconds / overheadRuns;
Console.WriteLine(string.Create(inv, $"overhead per chain (no decoding delay, m=1, n=0, {overheadRuns} runs): {overheadMs:F2} ms"));

server.TokenDelay = tokenDelay;
int chainTokens = FakeOpenAiServer.Tokens(FakeChains.Valid(8, 4));
Console.WriteLine(string.Create(inv, $"token delay {tokenDelay.TotalMilliseconds} ms × {chainTokens} tokens per chain = {tokenDelay.TotalMilliseconds * chainTokens:F0} ms decoding per chain"));
Console.WriteLine("| setting | requests per score | input tokens | output tokens | wall ms (median of " + repeats + ") | ratio to one chain |");
Console.WriteLine("|---|---|---|---|---|---|");
double? single = null;
foreach (var (label, m, n, rejectN, concurrency) in new[]
{
    ("one chain (m=1, n=0)", 1, 0, false, 32),
    ("m=16, n=8, n-sampling", 16, 8, false, 32),
    ("m=16, n=8, one request per chain, ≤32 in flight", 16, 8, true, 32),
    ("m=16, n=8, one request per chain, ≤8 in flight", 16, 8, true, 8),
})
{
    server.RejectN = rejectN;
    var judge = new LlmJudge(endpoint, new LlmJudgeOptions { Model = "bench", MaxConcurrency = concurrency }, metrics);
    var walls = new List<double>();
    JudgeTrace? trace = null;
    for (int r = 0; r < repeats; r++)
    {
        var started = Stopwatch.StartNew();
        var result = await judge.JudgeAsync(Request(1000 + r, m, n));
        walls.Add(started.Elapsed.TotalMilliseconds);
        trace = result.Trace;
    }

    walls.Sort();
    double median = walls[walls.Count / 2];
    single ??= median;
    Console.WriteLine(string.Create(inv,
        $"| {label} | {trace!.Requests} | {trace.InputTokens} | {trace.OutputTokens} | {median:F0} | {median / single.Value:F2} |"));
}

// Encoder benchmark: sentences/s at batch 1 vs. the micro-batching settings, and process RSS.
// Usage: dotnet run -c Release --project bench/PGenRM.Encoding.Bench -- [--rounds 5] [--threads 0] [--no-spin]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using PGenRM.Encoding.Bench;
using PGenRM.Encoding.Onnx;

var rounds = IntArg(args, "--rounds", 5);
var threads = IntArg(args, "--threads", 0);
var spin = !args.Contains("--no-spin");
const int CorpusSize = 256;

Console.WriteLine(FormattableString.Invariant(
    $"# Encoder benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime flavour {(OnnxRuntimeFlavor.IsGpuBuild ? "GPU" : "CPU")}"));
Console.WriteLine(FormattableString.Invariant(
    $"rounds={rounds}, IntraOpThreads={threads} (0 = ONNX Runtime default), AllowThreadSpinning={spin}; load average at start: {LoadAverage()}"));
Console.WriteLine(FormattableString.Invariant($"RSS at start: {ProcessMemory.CurrentRssMiB():F0} MiB"));

// 1. Load the default-settings encoder (cache off, so every round really runs the model) and measure memory.
var started = Stopwatch.GetTimestamp();
var batched = new OnnxSentenceEncoder(new OnnxEncoderOptions { CacheCapacity = 0, IntraOpThreads = threads, AllowThreadSpinning = spin });
var loadMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
FullGc();
var rssAfterLoad = ProcessMemory.CurrentRssMiB();
var peakAfterLoad = ProcessMemory.PeakRssMiB();
Console.WriteLine(FormattableString.Invariant(
    $"Loaded {batched.ModelId} on {batched.ExecutionProvider} in {loadMs:F0} ms; RSS after load {rssAfterLoad:F0} MiB (peak so far {peakAfterLoad:F0} MiB)"));

// 2. Corpus: 256 sentences of 30-120 tokens (with [CLS]/[SEP]), counted by the encoder's own tokenizer (the loop is idle).
var corpus = Corpus.Build(text => batched.Tokenize(text).Length, CorpusSize, 30, 120);
var lengths = corpus.Select(s => batched.Tokenize(s).Length).ToArray();
Console.WriteLine(FormattableString.Invariant(
    $"Corpus: {corpus.Length} sentences, tokens min {lengths.Min()} / mean {lengths.Average():F1} / max {lengths.Max()}"));
FullGc();
Console.WriteLine(FormattableString.Invariant($"RSS before encoding {ProcessMemory.CurrentRssMiB():F0} MiB"));

// 3. Peak RSS while encoding: typical workload, then the worst case at the 256-token cap.
var canResetPeak = ProcessMemory.ResetPeak();
await batched.EncodeBatchAsync(corpus);
await Task.WhenAll(corpus.Select(s => batched.EncodeAsync(s).AsTask()));
var peakTypical = ProcessMemory.PeakRssMiB();
var longTexts = Enumerable.Range(0, 64).Select(i => string.Join(' ', corpus.Skip(i % 8 * 8).Take(8))).ToArray();
await batched.EncodeBatchAsync(longTexts);
var peakWorst = ProcessMemory.PeakRssMiB();
FullGc();
Console.WriteLine(FormattableString.Invariant(
    $"Peak RSS (reset after load: {canResetPeak}): typical (corpus, batch + 256 concurrent) {peakTypical:F0} MiB; after 64 texts at the 256-token cap {peakWorst:F0} MiB; RSS now {ProcessMemory.CurrentRssMiB():F0} MiB"));

// 4. A second encoder pinned to batch size 1 with no window: the unbatched baseline.
using var single = new OnnxSentenceEncoder(new OnnxEncoderOptions
{
    CacheCapacity = 0, IntraOpThreads = threads, AllowThreadSpinning = spin, MaxBatchCount = 1, BatchingWindow = TimeSpan.Zero,
});

var configs = new (string Name, Func<Task> Run)[]
{
    ("batch 1 (MaxBatchCount=1, no window), one caller, sequential EncodeAsync", async () =>
    {
        foreach (var s in corpus)
        {
            await single.EncodeAsync(s);
        }
    }),
    ("defaults, one caller, sequential EncodeAsync", async () =>
    {
        foreach (var s in corpus)
        {
            await batched.EncodeAsync(s);
        }
    }),
    ("defaults, EncodeBatchAsync(256)", async () => await batched.EncodeBatchAsync(corpus)),
    ("defaults, 256 concurrent EncodeAsync callers", () => Task.WhenAll(corpus.Select(s => batched.EncodeAsync(s).AsTask()))),
    ("defaults, 8 concurrent callers x 32 sequential EncodeAsync", () => Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
    {
        for (var i = w; i < corpus.Length; i += 8)
        {
            await batched.EncodeAsync(corpus[i]);
        }
    })))),
};

// Warm up the batch-1 encoder (the default one was warmed by the memory phase), then interleaved rounds: each round runs
// every configuration in turn, so load from other processes hits all of them alike.
await configs[0].Run();

var rates = configs.Select(_ => new List<double>()).ToArray();
for (var r = 0; r < rounds; r++)
{
    for (var c = 0; c < configs.Length; c++)
    {
        var t0 = Stopwatch.GetTimestamp();
        await configs[c].Run();
        rates[c].Add(corpus.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds);
    }

    Console.WriteLine(FormattableString.Invariant(
        $"round {r + 1}: {string.Join(" | ", rates.Select(x => x[^1].ToString("F0", CultureInfo.InvariantCulture)))}   (load average {LoadAverage()})"));
}

Console.WriteLine();
Console.WriteLine("| configuration | sentences/s, median (best) |");
Console.WriteLine("|---|---|");
for (var c = 0; c < configs.Length; c++)
{
    var sorted = rates[c].Order().ToArray();
    Console.WriteLine(FormattableString.Invariant($"| {configs[c].Name} | {sorted[sorted.Length / 2]:F0} ({sorted[^1]:F0}) |"));
}

Console.WriteLine();
Console.WriteLine(FormattableString.Invariant(
    $"RSS with both encoders loaded {ProcessMemory.CurrentRssMiB():F0} MiB, process peak {ProcessMemory.PeakRssMiB():F0} MiB"));
batched.Dispose();
return 0;

// Other processes on the box change the numbers a lot; record the 1-minute load average next to them.
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static void FullGc()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
}

static int IntArg(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

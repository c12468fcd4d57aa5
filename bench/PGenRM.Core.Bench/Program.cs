using System.Diagnostics;
using System.Globalization;
using PGenRM.Core.Model;
using PGenRM.Core.Tests.Model.Reference;

// 1. The user fit by pair count, the service's code against the frozen pre-optimisation copy (ReferenceFit, linked
//    from the tests) in the same run: UserModel.Add along streams of 300 pairs (folding past 256), and the full
//    grid-search fit (Restore, SetPrior, the first 16 pairs) at fixed pair counts; with the largest scheme difference.
// 2. UserModel.Add with the prior-scale grid searched on every pair (PriorScaleSearchInterval = 1) against the periodic
//    search (the default), at the service's dimension (72 content + 8 factors) with a full 256-pair history; then how
//    far the two schemes drift apart on one synthetic stream; then the sketch update.
const int Content = 72;
var defaults = new HybridModelOptions();
int factors = defaults.FactorDimension;
int timed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
int streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var everyPair = defaults with { PriorScaleSearchInterval = 1 };
int[] counts = [1, 2, 3, 8, 16, 64, 256, 300];

if (args.Contains("--profile"))
{
    // For a profiler (dotnet-trace): the service's model only, streams of 300 pairs (past 256, folding).
    var random = new Random(3);
    var (prior, truth) = Setup(random);
    for (int stream = 0; stream < streams; stream++)
    {
        var model = new UserModel(prior, defaults);
        for (int n = 0; n < (args.Contains("--folding") ? 600 : 300); n++)
        {
            model.Add(Pair(random, truth));
        }
    }

    return;
}

Console.WriteLine(Inv($"{Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; dimension {Content + factors}, history {defaults.HistoryCapacity}"));
{
    // Per add index: ticks of the reference and of the service's model, summed over streams (the two alternate per add,
    // so machine load hits both alike).
    const int Length = 300;
    var before = new double[Length + 1];
    var after = new double[Length + 1];
    double worstRelative = 0;
    int scaleDiffers = 0;
    // Stream -1 warms both paths up (JIT) and is not counted.
    for (int stream = -1; stream < streams; stream++)
    {
        var random = new Random(100 + stream);
        var (prior, truth) = Setup(random);
        var reference = new ReferenceUserModel(prior, defaults);
        var model = new UserModel(prior, defaults);
        for (int n = 1; n <= Length; n++)
        {
            var pair = Pair(random, truth);
            long t0 = Stopwatch.GetTimestamp();
            reference.Add(pair);
            long t1 = Stopwatch.GetTimestamp();
            model.Add(pair);
            long t2 = Stopwatch.GetTimestamp();
            if (stream < 0)
            {
                continue;
            }

            before[n] += t1 - t0;
            after[n] += t2 - t1;
            worstRelative = Math.Max(worstRelative, RelativeDifference(model.Scheme, reference.Scheme));
            scaleDiffers += model.Scale == reference.Scale ? 0 : 1;
        }
    }

    double Micro(double ticks, int adds) => ticks * 1e6 / Stopwatch.Frequency / (streams * adds);
    Console.WriteLine(Inv($"UserModel.Add along {streams} streams of {Length} pairs (µs per add, before = reference copy, after = service):"));
    Console.WriteLine("| pairs after the add | before µs | after µs | before adds/s | after adds/s | speed-up |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (int n in counts)
    {
        Row(n.ToString(CultureInfo.InvariantCulture), Micro(before[n], 1), Micro(after[n], 1));
    }

    Row("1–16 (each searches)", Micro(before[1..17].Sum(), 16), Micro(after[1..17].Sum(), 16));
    Row("17–256", Micro(before[17..257].Sum(), 240), Micro(after[17..257].Sum(), 240));
    Row("257–300 (folding)", Micro(before[257..].Sum(), Length - 256), Micro(after[257..].Sum(), Length - 256));
    Console.WriteLine(Inv($"scheme difference over all adds: max ‖Δθ‖/‖θ‖ {worstRelative:E2}; chosen scale differed after {scaleDiffers} of {streams * Length} adds"));
}

{
    // The grid-search fit alone (what Restore and SetPrior run), at fixed pair counts, median of interleaved repeats.
    Console.WriteLine("SchemeLearner.FitUser (the prior-scale grid search) by pair count (µs per fit, median of repeats):");
    Console.WriteLine("| pairs | before µs | after µs | before fits/s | after fits/s | speed-up |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (int n in counts.Where(c => c <= defaults.HistoryCapacity))
    {
        var random = new Random(7 + n);
        var (prior, truth) = Setup(random);
        var observations = Enumerable.Range(0, n).Select(_ => Pair(random, truth).ToObservation()).ToList();
        int repeats = n <= 16 ? 15 : 7;
        var old = new List<double>();
        var fast = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var a = ReferenceFit.FitUser(prior, observations, defaults);
            long t1 = Stopwatch.GetTimestamp();
            var b = SchemeLearner.FitUser(prior, observations, defaults);
            long t2 = Stopwatch.GetTimestamp();
            old.Add((t1 - t0) * 1e6 / Stopwatch.Frequency);
            fast.Add((t2 - t1) * 1e6 / Stopwatch.Frequency);
            if (a.Scale != b.Scale || RelativeDifference(b.Mean, a.Mean) > 1e-6)
            {
                throw new InvalidOperationException(Inv($"FitUser differs from the reference at n = {n}"));
            }
        }

        Row(n.ToString(CultureInfo.InvariantCulture), Median(old), Median(fast));
    }
}

{
    // Memory per user model: GC.GetTotalMemory deltas over many restored models (each restored from its own copy of
    // the pairs, allocated before the measurement, so only what the model itself holds counts), the reference copy
    // holding what the old UserModel held (dense folded precision, dense posterior factor).
    Console.WriteLine("Bytes per user model after Restore (GC.GetTotalMemory delta over many models; the model's own objects: its pairs are allocated before and not counted):");
    Console.WriteLine("| pairs | models | before bytes | after bytes | ratio |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (int n in new[] { 0, 1, 3, 16, 64, 256, 300 })
    {
        int models = n <= 16 ? 200 : 40;
        var random = new Random(500 + n);
        var (prior, truth) = Setup(random);
        var source = new UserModel(prior, defaults);
        for (int i = 0; i < n; i++)
        {
            source.Add(Pair(random, truth));
        }

        var histories = Enumerable.Range(0, models).Select(_ => source.History.Select(p => p with { ContentDiff = (double[])p.ContentDiff.Clone() }).ToList()).ToList();
        var mean = source.Folded.Mean.ToArray();
        var precision = source.Folded.Precision.ToArray();
        long Measure(Func<int, object> create)
        {
            var kept = new object[models];
            long start = GC.GetTotalMemory(true);
            for (int m = 0; m < models; m++)
            {
                kept[m] = create(m);
            }

            long end = GC.GetTotalMemory(true);
            GC.KeepAlive(kept);
            return (end - start) / models;
        }

        long old = Measure(m =>
        {
            var model = new ReferenceUserModel(prior, defaults);
            model.Restore(histories[m], new ReferenceFolded((double[])mean.Clone(), (double[])precision.Clone(), source.Folded.Count), null);
            return model;
        });
        long fast = Measure(m =>
        {
            var model = new UserModel(prior, defaults);
            model.Restore(histories[m], source.Folded.Count > 0 ? new FoldedEvidence((double[])mean.Clone(), (double[])precision.Clone(), source.Folded.Count) : new FoldedEvidence(prior.Dimension), null);
            return model;
        });
        Console.WriteLine(Inv($"| {n} | {models} | {old} | {fast} | {(double)old / fast:F1}× |"));
    }
}

if (args.Contains("--no-legacy-sections"))
{
    return;
}

static void Row(string label, double beforeMicros, double afterMicros) =>
    Console.WriteLine(Inv($"| {label} | {beforeMicros:F0} | {afterMicros:F0} | {1e6 / beforeMicros:F0} | {1e6 / afterMicros:F0} | {beforeMicros / afterMicros:F1}× |"));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static double RelativeDifference(double[] a, double[] b)
{
    double diff = 0, norm = 0;
    for (int i = 0; i < a.Length; i++)
    {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        norm += b[i] * b[i];
    }

    return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-300);
}

for (int round = 1; round <= 3; round++)
{
    // Interleaved rounds, so load from other processes hits both variants alike.
    double before = AddsPerSecond(everyPair, timed);
    double after = AddsPerSecond(defaults, timed);
    Console.WriteLine(Inv($"round {round}: grid on every pair {before:F1} adds/s ({1000 / before:F2} ms); periodic (every {defaults.PriorScaleSearchInterval}) {after:F1} adds/s ({1000 / after:F2} ms); x{after / before:F2}"));
}

// Accuracy: one stream of 1,000 pairs (folding past 256) into both variants; the largest |Δθ| after any pair.
{
    var random = new Random(11);
    var (prior, truth) = Setup(random);
    var periodic = new UserModel(prior, defaults);
    var reference = new UserModel(prior, everyPair);
    double worst = 0, worstRelative = 0, worstPast32 = 0, worstPast64 = 0, last = 0;
    int worstAt = 0, scaleDiffers = 0;
    double lossPeriodic = 0, lossReference = 0;
    for (int i = 1; i <= 1000; i++)
    {
        var pair = Pair(random, truth);

        // Prequential: each model's log-loss on the next pair before it learns from it.
        lossPeriodic -= BayesianLogistic.LogSigmoid(Margin(periodic.Scheme, pair));
        lossReference -= BayesianLogistic.LogSigmoid(Margin(reference.Scheme, pair));
        periodic.Add(pair);
        reference.Add(pair);
        double diff = periodic.Scheme.Zip(reference.Scheme, (a, b) => Math.Abs(a - b)).Max();
        double norm = Math.Sqrt(reference.Scheme.Sum(x => x * x));
        if (diff > worst)
        {
            (worst, worstAt) = (diff, i);
        }

        worstPast32 = i > 32 ? Math.Max(worstPast32, diff) : 0;
        worstPast64 = i > 64 ? Math.Max(worstPast64, diff) : 0;
        last = diff;
        worstRelative = Math.Max(worstRelative, Math.Sqrt(periodic.Scheme.Zip(reference.Scheme, (a, b) => (a - b) * (a - b)).Sum()) / norm);
        scaleDiffers += periodic.Scale == reference.Scale ? 0 : 1;
    }

    Console.WriteLine(Inv($"stream of 1000 pairs: max |Δθ_i| {worst:E2} (after pair {worstAt}); max ‖Δθ‖/‖θ‖ {worstRelative:E2}; max |Δθ_i| past pair 32 {worstPast32:E2}, past 64 {worstPast64:E2}, after the last {last:E2}; prior scale differed after {scaleDiffers} of 1000 pairs; final scales {periodic.Scale} / {reference.Scale}"));
    Console.WriteLine(Inv($"prequential log-loss per pair: periodic {lossPeriodic / 1000:F4}, grid on every pair {lossReference / 1000:F4}"));
}

// The judgment sketch: two directions per feedback; a recurring item hits the cache, a new one draws 256 Gaussians.
{
    var sketch = new double[JudgmentSketch.DefaultLength];
    const int calls = 200_000;
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < calls; i++)
    {
        JudgmentSketch.Add(sketch, "item-" + (i % 1000).ToString(CultureInfo.InvariantCulture), 1);
    }

    double cached = clock.Elapsed.TotalMicroseconds / calls;
    clock.Restart();
    for (int i = 0; i < calls; i++)
    {
        JudgmentSketch.Add(sketch, "fresh-" + i.ToString(CultureInfo.InvariantCulture), 1);
    }

    double fresh = clock.Elapsed.TotalMicroseconds / calls;
    Console.WriteLine(Inv($"JudgmentSketch.Add: {cached:F2} µs for a cached item, {fresh:F2} µs for a new one"));
}

static double Margin(double[] scheme, PairEvidence pair)
{
    var observation = pair.ToObservation();
    double margin = observation.Offset;
    for (int k = 0; k < scheme.Length; k++)
    {
        margin += scheme[k] * observation.Features[k];
    }

    return margin;
}

static double AddsPerSecond(HybridModelOptions options, int count)
{
    var random = new Random(1);
    var (prior, truth) = Setup(random);
    var model = new UserModel(prior, options);
    for (int i = 0; i < options.HistoryCapacity; i++)
    {
        model.Add(Pair(random, truth));
    }

    var clock = Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        model.Add(Pair(random, truth));
    }

    return count / clock.Elapsed.TotalSeconds;
}

// A prior centred between zero and the truth (as a prototype's would be), unit precision.
static (DiagonalGaussian Prior, double[] Truth) Setup(Random random)
{
    var truth = Vector(random, Content + 8, 1.0);
    return (new DiagonalGaussian([.. truth.Select(t => 0.5 * t)], [.. Enumerable.Repeat(1.0, truth.Length)]), truth);
}

// A pair the truth prefers with probability sigmoid(margin), as a noisy person would.
static PairEvidence Pair(Random random, double[] truth)
{
    var diff = Vector(random, Content, 0.5);
    var chosen = new ItemView(0, Vector(random, 8, 0.5));
    var rejected = new ItemView(0, Vector(random, 8, 0.5));
    double margin = 0;
    for (int k = 0; k < Content; k++)
    {
        margin += truth[k] * diff[k];
    }

    for (int k = 0; k < 8; k++)
    {
        margin += truth[Content + k] * (chosen.Factor[k] - rejected.Factor[k]);
    }

    return random.NextDouble() < 1 / (1 + Math.Exp(-margin))
        ? new PairEvidence("c", "r", diff, chosen, rejected, [])
        : new PairEvidence("c", "r", [.. diff.Select(x => -x)], rejected, chosen, []);
}

static double[] Vector(Random random, int length, double scale) =>
    [.. Enumerable.Range(0, length).Select(_ => scale * (random.NextDouble() - 0.5) * 2)];

static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

using System.Diagnostics;
using System.Globalization;
using PGenRM.Core.Model;

// UserModel.Add with the prior-scale grid searched on every pair (PriorScaleSearchInterval = 1, the earlier
// behaviour) against the periodic search (the default), at the service's dimension (72 content + 8 factors) with a
// full 256-pair history; then how far the two schemes drift apart on one synthetic stream; then the sketch update.
const int Content = 72;
var defaults = new HybridModelOptions();
int factors = defaults.FactorDimension;
int timed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var everyPair = defaults with { PriorScaleSearchInterval = 1 };

Console.WriteLine(Inv($"{Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; dimension {Content + factors}, history {defaults.HistoryCapacity}, {timed} timed adds per round"));
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

using PGenRM.Core.Model;
using PGenRM.Core.Tests.Model.Reference;

namespace PGenRM.Core.Tests.Model;

/// <summary>
/// The fast user fit (dual Newton steps for few pairs, shared observation layout, lazy posterior factor) against a frozen
/// copy of the dense fit it replaced (<see cref="ReferenceFit"/>): on random streams of online updates, rating sets,
/// stated preferences, restores and prior moves, past the history capacity (folding), the chosen prior scale must be
/// the same and the scheme equal within 1e-6 of its norm.
/// </summary>
public sealed class UserFitEquivalenceTests
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(16, 4, 24, 60, 12)]
    [InlineData(72, 8, 256, 300, 1)]
    public void UserModel_OnRandomStreams_MatchesTheDenseReference(int content, int factors, int capacity, int length, int streams)
    {
        var options = new HybridModelOptions { FactorDimension = factors, HistoryCapacity = capacity };
        double worst = 0;
        for (int stream = 0; stream < streams; stream++)
        {
            var random = new Random(1000 + stream);
            var truth = Vector(random, content + factors + 1, 1);
            var prior = Prior(random, truth);
            var model = new UserModel(prior, options);
            var reference = new ReferenceUserModel(prior, options);
            while (model.PairCount < length)
            {
                double action = random.NextDouble();
                string step;
                if (action < 0.75)
                {
                    var pair = Pair(random, truth, content, factors);
                    model.Add(pair);
                    reference.Add(pair);
                    step = "add";
                }
                else if (action < 0.87)
                {
                    var pairs = Enumerable.Range(0, random.Next(2, 6)).Select(_ => Pair(random, truth, content, factors)).ToList();
                    model.AddRange(pairs);
                    reference.AddRange(pairs);
                    step = "rating set";
                }
                else if (action < 0.92)
                {
                    var stated = Vector(random, content, 0.3);
                    model.SetStatedPreference(stated);
                    reference.SetStatedPreference(stated);
                    step = "stated preference";
                }
                else if (action < 0.97)
                {
                    // Restore both from the service model's stored parts (as the grain does on activation).
                    var history = model.History.ToList();
                    var mean = model.Folded.Mean.ToArray();
                    var precision = model.Folded.Precision.ToArray();
                    int count = model.Folded.Count;
                    var stated = model.StatedPreference;
                    model = new UserModel(prior, options);
                    model.Restore(history, new FoldedEvidence((double[])mean.Clone(), (double[])precision.Clone(), count), stated);
                    reference = new ReferenceUserModel(prior, options);
                    reference.Restore(history, new ReferenceFolded(mean, precision, count), stated);
                    step = "restore";
                }
                else
                {
                    prior = Prior(random, truth);
                    model.SetPrior(prior);
                    reference.SetPrior(prior);
                    step = "new prior";
                }

                string at = $"stream {stream}, {step} at {model.PairCount} pairs";
                Assert.True(reference.Scale == model.Scale, $"{at}: scale {model.Scale} vs reference {reference.Scale}");
                worst = Math.Max(worst, AssertClose(reference.Scheme, model.Scheme, at));
                Assert.Equal(reference.Folded.Count, model.Folded.Count);
                Assert.Equal(reference.Posterior!.LogEvidence, model.Posterior!.LogEvidence, 1e-6 * Math.Max(1, Math.Abs(reference.Posterior.LogEvidence)));
            }

            // The posterior factor (computed when read) is the dense fit's: same variance along random directions.
            for (int probe = 0; probe < 3; probe++)
            {
                var z = Vector(random, content + factors + 1, 1);
                double expected = Variance(reference.Posterior!.Lower, z);
                Assert.Equal(expected, model.Posterior!.Variance(z), 1e-8 * expected);
            }
        }

        Assert.True(worst <= Tolerance, $"max ‖Δθ‖∞/‖θ‖ {worst:E2}");
    }

    [Theory]
    [InlineData(PriorScaleCriterion.Evidence, true)]
    [InlineData(PriorScaleCriterion.LeaveOneOut, true)]
    [InlineData(PriorScaleCriterion.Evidence, false)]
    public void FitUser_AtRandomPairCounts_MatchesTheDenseReference(PriorScaleCriterion criterion, bool residual)
    {
        const int Content = 24, Factors = 4;
        var options = new HybridModelOptions { FactorDimension = Factors, PriorScaleCriterion = criterion, CollaborativeOnResidual = residual };
        var random = new Random(criterion == PriorScaleCriterion.Evidence ? (residual ? 1 : 2) : 3);
        foreach (int n in new[] { 0, 1, 2, 3, 5, 8, 16, 27, 28, 29, 40, 64, 100 })
        {
            var truth = Vector(random, Content + Factors + 1, 1);
            var prior = Prior(random, truth);
            var observations = Enumerable.Range(0, n).Select(_ => Pair(random, truth, Content, Factors).ToObservation()).ToList();
            var start = random.NextDouble() < 0.5 ? Vector(random, Content + Factors + 1, 0.5) : null;
            string at = $"{criterion}, residual {residual}, n = {n}";

            var expected = ReferenceFit.FitUser(prior, observations, options, null, start);
            var actual = SchemeLearner.FitUser(prior, observations, options, null, start);
            Assert.True(expected.Scale == actual.Scale, $"{at}: scale {actual.Scale} vs {expected.Scale}");
            AssertClose(expected.Mean, actual.Mean, at);
            Assert.Equal(expected.LeaveOneOut, actual.LeaveOneOutLogLikelihood, 1e-8 * Math.Max(1, Math.Abs(expected.LeaveOneOut)));

            // With a folded block (always the primal form) and at one scale.
            var folded = new ReferenceFolded(Content + Factors + 1);
            var fast = new FoldedEvidence(Content + Factors + 1);
            foreach (var o in Enumerable.Range(0, 5).Select(_ => Pair(random, truth, Content, Factors).ToObservation()))
            {
                folded.Fold(o, prior.Mean);
                fast.Fold(o, prior.Mean);
            }

            var expectedFolded = ReferenceFit.FitUserAtScale(prior, 4, observations, options, start, folded);
            var actualFolded = SchemeLearner.FitUserAtScale(prior, 4, observations, options, start, fast);
            AssertClose(expectedFolded.Mean, actualFolded.Mean, at + ", folded");
            Assert.Equal(expectedFolded.LogEvidence, actualFolded.LogEvidence, 1e-8 * Math.Max(1, Math.Abs(expectedFolded.LogEvidence)));
        }
    }

    private static double AssertClose(double[] expected, double[] actual, string at)
    {
        double norm = Math.Sqrt(expected.Sum(x => x * x));
        double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        double relative = diff / Math.Max(norm, 1e-12);
        Assert.True(relative <= Tolerance, $"{at}: max |Δθ| {diff:E2} = {relative:E2} of ‖θ‖");
        return relative;
    }

    private static double Variance(double[] lower, double[] z)
    {
        int d = z.Length;
        var y = (double[])z.Clone();
        for (int i = 0; i < d; i++)
        {
            double acc = y[i];
            for (int k = 0; k < i; k++)
            {
                acc -= lower[k * d + i] * y[k];
            }

            y[i] = acc / lower[i * d + i];
        }

        return y.Sum(v => v * v);
    }

    // A prior between zero and the truth with per-dimension precisions, as a prototype's would be.
    private static DiagonalGaussian Prior(Random random, double[] truth) =>
        new([.. truth.Select(t => random.NextDouble() * t)], [.. truth.Select(_ => 0.5 + random.NextDouble())]);

    // A noisy Bradley–Terry choice by the truth; items recur (judged by others) at random, weights vary.
    private static PairEvidence Pair(Random random, double[] truth, int content, int factors)
    {
        var diff = Vector(random, content, 0.5);
        var chosen = new ItemView(random.NextDouble() < 0.5 ? 0 : random.NextDouble() - 0.5, Vector(random, factors, 0.5));
        var rejected = new ItemView(random.NextDouble() < 0.5 ? 0 : random.NextDouble() - 0.5, Vector(random, factors, 0.5));
        double weight = random.NextDouble() < 0.8 ? 1 : 0.5 + random.NextDouble();
        double margin = chosen.Strength - rejected.Strength;
        for (int k = 0; k < content; k++)
        {
            margin += truth[k] * diff[k];
        }

        for (int k = 0; k < factors; k++)
        {
            margin += truth[content + k] * (chosen.Factor[k] - rejected.Factor[k]);
        }

        margin += truth[content + factors] * (chosen.Strength - rejected.Strength); // δ, the user's own weight on b

        return random.NextDouble() < 1 / (1 + Math.Exp(-margin))
            ? new PairEvidence("c", "r", diff, chosen, rejected, [], weight)
            : new PairEvidence("r", "c", [.. diff.Select(x => -x)], rejected, chosen, [], weight);
    }

    private static double[] Vector(Random random, int length, double scale) =>
        [.. Enumerable.Range(0, length).Select(_ => scale * (random.NextDouble() - 0.5) * 2)];
}

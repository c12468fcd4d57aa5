using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class SchemeLearnerTests
{
    private static readonly HybridModelOptions Options = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FitUser_After200Pairs_RecoversTheTrueScheme(int seed)
    {
        // arrange: a known scheme over 12 features, 300 items, 200 training pairs sampled from Bradley–Terry
        var random = new Random(seed);
        const int d = 12;
        var truth = SyntheticData.GaussianVector(random, d, 0.9);
        var items = Enumerable.Range(0, 300).Select(_ => SyntheticData.GaussianVector(random, d)).ToArray();
        var train = SyntheticData.SamplePairs(random, truth, items, 200);
        var test = SyntheticData.SamplePairs(random, truth, items, 4000);
        var prior = DiagonalGaussian.Zero(Enumerable.Repeat(1.0, d).ToArray());

        // act
        var posterior = SchemeLearner.FitUser(prior, SyntheticData.ToObservations(train), Options);

        // assert
        Assert.True(SyntheticData.Cosine(posterior.Mean, truth) >= 0.9, $"cosine {SyntheticData.Cosine(posterior.Mean, truth):F3}");
        double learned = SyntheticData.Accuracy(posterior.Mean, test);
        double ideal = SyntheticData.Accuracy(truth, test);
        Assert.True(learned >= ideal - 0.03, $"held-out accuracy {learned:P1} vs true scheme {ideal:P1}");
    }

    [Fact]
    public void FitUser_ChoosesAWeakPriorForADistinctUserAndAStrongOneForATypicalUser()
    {
        // arrange: the prior mean is the population scheme; one user follows it, one goes against it
        var random = new Random(7);
        const int d = 8;
        var population = SyntheticData.GaussianVector(random, d, 1.0);
        var items = Enumerable.Range(0, 200).Select(_ => SyntheticData.GaussianVector(random, d)).ToArray();
        var prior = new DiagonalGaussian(population, Enumerable.Repeat(1.0, d).ToArray());
        var typical = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, population, items, 150));
        var distinct = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, population.Select(x => -x).ToArray(), items, 150));

        // act
        var typicalFit = SchemeLearner.FitUser(prior, typical, Options);
        var distinctFit = SchemeLearner.FitUser(prior, distinct, Options);

        // assert: evidence picks the strongest grid scale for the typical user and a weaker one for the distinct user
        Assert.Equal(Options.PriorScaleGrid.Max(), typicalFit.Scale);
        Assert.True(distinctFit.Scale < typicalFit.Scale, $"distinct scale {distinctFit.Scale} vs typical {typicalFit.Scale}");
        Assert.True(SyntheticData.Cosine(distinctFit.Mean, population) < 0, "the distinct user's scheme must point away from the population");
    }

    [Fact]
    public void FitUser_WithNoObservations_ReturnsThePriorMean()
    {
        var prior = new DiagonalGaussian([1.0, -2.0, 0.5], [1.0, 1.0, 1.0]);
        var posterior = SchemeLearner.FitUser(prior, [], Options);
        Assert.Equal(prior.Mean, posterior.Mean);
    }

    [Fact]
    public void PreferenceProbability_IsCalibratedTowardHalfUnderUncertaintyButKeepsTheSide()
    {
        var random = new Random(11);
        const int d = 6;
        var truth = SyntheticData.GaussianVector(random, d);
        var items = Enumerable.Range(0, 100).Select(_ => SyntheticData.GaussianVector(random, d)).ToArray();
        var prior = DiagonalGaussian.Zero(Enumerable.Repeat(1.0, d).ToArray());
        var few = SchemeLearner.FitUserAtScale(prior, 1, SyntheticData.ToObservations(SyntheticData.SamplePairs(random, truth, items, 5)), Options);
        var z = SyntheticData.GaussianVector(random, d);

        double map = BayesianLogistic.Sigmoid(SyntheticData.Dot(few.Mean, z));
        double calibrated = few.PreferenceProbability(z, 0);

        Assert.Equal(map > 0.5, calibrated > 0.5);
        Assert.True(Math.Abs(calibrated - 0.5) < Math.Abs(map - 0.5), $"calibrated {calibrated:F3} should be closer to 0.5 than MAP {map:F3}");
    }

    [Fact]
    public void BayesianLogistic_RejectsANonPositiveScale()
    {
        var prior = DiagonalGaussian.Zero([1.0]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BayesianLogistic.Fit(prior, 0, []));
        Assert.Contains("prior scale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldedEvidence_RemembersFoldedPairsAlmostAsWellAsKeepingThem()
    {
        // arrange: 300 pairs; keep the last 100 verbatim and fold the first 200
        var random = new Random(5);
        const int d = 6;
        var truth = SyntheticData.GaussianVector(random, d);
        var items = Enumerable.Range(0, 200).Select(_ => SyntheticData.GaussianVector(random, d)).ToArray();
        var all = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, truth, items, 300));
        var prior = DiagonalGaussian.Zero(Enumerable.Repeat(1.0, d).ToArray());
        var full = SchemeLearner.FitUserAtScale(prior, 1, all, Options);

        var folded = new FoldedEvidence(d);
        var running = new List<LogisticObservation>();
        double[] current = new double[d];
        foreach (var observation in all)
        {
            running.Add(observation);
            if (running.Count > 100)
            {
                folded.Fold(running[0], current);
                running.RemoveAt(0);
            }

            if (running.Count % 25 == 0)
            {
                current = BayesianLogistic.Fit(prior, 1, running, folded, current).Mean;
            }
        }

        var bounded = BayesianLogistic.Fit(prior, 1, running, folded, current);
        var forgetful = SchemeLearner.FitUserAtScale(prior, 1, running, Options);

        // assert: folding keeps the scheme close to the full fit and much closer than forgetting
        double foldedCosine = SyntheticData.Cosine(bounded.Mean, full.Mean);
        Assert.Equal(200, folded.Count);
        Assert.True(foldedCosine > 0.99, $"folded cosine {foldedCosine:F4}");
        double foldedDistance = Distance(bounded.Mean, full.Mean);
        double forgetfulDistance = Distance(forgetful.Mean, full.Mean);
        Assert.True(foldedDistance < forgetfulDistance, $"folded {foldedDistance:F3} vs forgetful {forgetfulDistance:F3}");
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
}

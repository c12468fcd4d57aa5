using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

/// <summary>
/// Planted users for the prior-strength rule (the evidence over <see cref="HybridModelOptions.PriorScaleGrid"/>): a user
/// with a strong, consistent taste of its own must leave the prior, a user without one must stay at it.
/// </summary>
public sealed class PriorStrengthTests
{
    private const int D = 96;
    private const int TasteDimensions = 24;
    private static readonly HybridModelOptions Options = new();

    [Fact]
    public void StrongConsistentTaste_LeavesThePrior_BeyondTheOldGridFloor()
    {
        // arrange: a population scheme as prior mean; the user adds a large taste on 24 weak features (small spread, like
        // the embedding block), learned from 1,000 pairs.
        var (population, items, prior) = World(new Random(3));
        var random = new Random(4);
        var truth = (double[])population.Clone();
        for (int i = D - TasteDimensions; i < D; i++)
        {
            truth[i] += 6 * SyntheticData.Gaussian(random);
        }

        var train = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, truth, items, 1000));
        var test = SyntheticData.SamplePairs(random, truth, items, 4000);

        // act
        var fit = SchemeLearner.FitUser(prior, train, Options);
        var oldGrid = SchemeLearner.FitUser(prior, train, Options with { PriorScaleGrid = [0.25, 1, 4, 16, 64, 256] });

        // assert: a weaker prior than the old grid allowed, and a scheme that predicts the user well
        Assert.True(fit.Scale < 0.25, $"scale {fit.Scale}");
        double learned = SyntheticData.Accuracy(fit.Mean, test);
        double atPrior = SyntheticData.Accuracy(population, test);
        double ideal = SyntheticData.Accuracy(truth, test);
        Assert.True(learned >= ideal - 0.03, $"held-out {learned:P1} vs true scheme {ideal:P1}");
        Assert.True(learned >= atPrior + 0.10, $"held-out {learned:P1} vs prior {atPrior:P1}");
        Assert.True(learned >= SyntheticData.Accuracy(oldGrid.Mean, test) - 0.01, $"held-out {learned:P1} vs old grid {SyntheticData.Accuracy(oldGrid.Mean, test):P1}");
    }

    [Theory]
    [InlineData(30)]
    [InlineData(300)]
    public void NoTasteOfItsOwn_StaysAtThePrior(int pairs)
    {
        // arrange: the user judges exactly as the population does (its prior mean), with Bradley–Terry noise
        var (population, items, prior) = World(new Random(3));
        var random = new Random(5);
        var train = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, population, items, pairs));
        var test = SyntheticData.SamplePairs(random, population, items, 4000);

        // act
        var fit = SchemeLearner.FitUser(prior, train, Options);

        // assert: a strong prior (the evidence is flat above 256, where the prior alone explains the pairs), and no
        // accuracy lost to overfitting 96 weights
        Assert.True(fit.Scale >= 256, $"scale {fit.Scale}");
        Assert.True(SyntheticData.Accuracy(fit.Mean, test) >= SyntheticData.Accuracy(population, test) - 0.01);
    }

    /// <summary>A population scheme on the 72 strong features, items whose last 24 features have a small spread.</summary>
    private static (double[] Population, double[][] Items, DiagonalGaussian Prior) World(Random random)
    {
        var population = new double[D];
        for (int i = 0; i < D - TasteDimensions; i++)
        {
            population[i] = 0.3 * SyntheticData.Gaussian(random);
        }

        var items = Enumerable.Range(0, 400).Select(_ =>
        {
            var x = SyntheticData.GaussianVector(random, D);
            for (int i = D - TasteDimensions; i < D; i++)
            {
                x[i] *= 0.25;
            }

            return x;
        }).ToArray();
        return (population, items, new DiagonalGaussian(population, Enumerable.Repeat(1.0, D).ToArray()));
    }
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class PrototypeShrinkageHeldOutTests
{
    private static readonly double[] Population = [0.5, 0, 0];

    [Fact]
    public void HeldOutKappa_PrototypesThatPredictTheirOtherMembers_KeepTheirMeans()
    {
        // arrange: two prototypes of three members, +2 and −2 on dimension 1; every held-out pair of a member is won by
        // the side its prototype prefers on that dimension (the population is indifferent there)
        var schemes = new List<double[]>();
        var folds = new List<IReadOnlyList<HeldOutFold>>();
        int[] assignments = [0, 0, 0, 1, 1, 1];
        foreach (int c in assignments)
        {
            double sign = c == 0 ? 1 : -1;
            var scheme = new[] { 0.5, 2 * sign, 0.1 * (schemes.Count % 3 - 1) };
            schemes.Add(scheme);
            folds.Add(TwoFolds(scheme, [0, sign, 0]));
        }

        // act
        double kappa = PrototypeShrinkage.HeldOutKappa(Population, schemes, assignments, 2, folds);
        var centroids = PrototypeShrinkage.Centroids(Population, schemes, assignments, 2, kappa);

        // assert: κ = 0 (the held-out likelihood grows with every step away from the population), centroids unshrunk
        Assert.Equal(0, kappa);
        Assert.Equal(new[] { 0.5, 2.0, 0.0 }, centroids[0].Select(x => Math.Round(x, 12)).ToArray());
        Assert.Equal(new[] { 0.5, -2.0, 0.0 }, centroids[1].Select(x => Math.Round(x, 12)).ToArray());
    }

    [Fact]
    public void HeldOutKappa_PrototypeThatDoesNotPredictItsOtherMembers_ShrinksToThePopulation()
    {
        // arrange: four members who look alike in scheme space (all +1 on dimension 1) but differ on dimension 2 (±1),
        // where their held-out pairs are: each member's pairs follow its own sign there, so the mean of the other three
        // (∓1/3) predicts them worse than the indifferent population does
        double[][] schemes = [[0.5, 1, 1], [0.5, 1, -1], [0.5, 1, 1], [0.5, 1, -1]];
        int[] assignments = [0, 0, 0, 0];
        var folds = schemes.Select(s => TwoFolds(s, [0, 0, s[2]])).ToList();

        // act
        double moments = PrototypeShrinkage.Kappa(Population, schemes, assignments, 1);
        double kappa = PrototypeShrinkage.HeldOutKappa(Population, schemes, assignments, 1, folds);
        var centroid = PrototypeShrinkage.Centroids(Population, schemes, assignments, 1, kappa)[0];

        // assert: the method of moments keeps the prototype (σ² = 4/9, τ² = 1/3 − σ²/4 = 2/9, κ = 2: 4/6 of its mean);
        // the held-out rule puts its centroid at the population
        Assert.Equal(2, moments, 12);
        Assert.Equal(double.PositiveInfinity, kappa);
        Assert.Equal(Population, centroid);
    }

    [Fact]
    public void HeldOutKappa_AFoldIsScoredUnderThePrototypeItsOwnFoldSchemeJoins()
    {
        // arrange: prototypes at +2 and −2 on dimension 1 (two members each). Member 0 was assigned to the first, but its
        // held-out pairs (and the scheme fitted without them) point the other way; everyone else's pairs follow their
        // prototype. Scored under its assigned prototype, member 0's fold would cost log σ(−2·keep) and, with weight 3,
        // outweigh the others' gain; scored under the prototype its fold scheme joins, every fold gains from the prototypes.
        double[][] schemes = [[0.5, 2, 0], [0.5, 2, 0], [0.5, -2, 0], [0.5, -2, 0]];
        int[] assignments = [0, 0, 1, 1];
        double[] weights = [3, 1, 1, 1];
        var folds = new List<IReadOnlyList<HeldOutFold>>
        {
            TwoFolds([0.5, -2, 0], [0, -1, 0]),
            TwoFolds(schemes[1], [0, 1, 0]),
            TwoFolds(schemes[2], [0, -1, 0]),
            TwoFolds(schemes[3], [0, -1, 0]),
        };

        // act
        double kappa = PrototypeShrinkage.HeldOutKappa(Population, schemes, assignments, 2, folds, weights: weights);

        // assert
        Assert.Equal(0, kappa);
    }

    [Fact]
    public void LogLikelihood_ShorterSchemeScoresTheContentStage()
    {
        // arrange: a pair with a 2-long content block, a 1-long collaborative block and an item-strength offset
        var pair = new LogisticObservation([1, 2, 3], Offset: 4, Weight: 2) { ContentLength = 2 };

        // act
        double content = PrototypeShrinkage.LogLikelihood([pair], [1, -1]);
        double whole = PrototypeShrinkage.LogLikelihood([pair], [1, -1, 1]);

        // assert: content stage 2·log σ(1 − 2), the whole margin 2·log σ(1 − 2 + 3 + 4)
        Assert.Equal(2 * BayesianLogistic.LogSigmoid(-1), content, 12);
        Assert.Equal(2 * BayesianLogistic.LogSigmoid(6), whole, 12);
    }

    /// <summary>Two held-out folds of three pairs each, all won by the side of <paramref name="direction"/>.</summary>
    private static IReadOnlyList<HeldOutFold> TwoFolds(double[] foldScheme, double[] direction)
    {
        var pairs = Enumerable.Repeat(new LogisticObservation(direction), 3).ToList();
        return [new HeldOutFold(foldScheme, theta => PrototypeShrinkage.LogLikelihood(pairs, theta)), new HeldOutFold(foldScheme, theta => PrototypeShrinkage.LogLikelihood(pairs, theta))];
    }
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

/// <summary>
/// The user fit's two stages (<see cref="SchemeLearner.FitUser"/>): content weights first, the collaborative part on
/// their residual, weighted by whether the pair's items recur (judged by someone else).
/// </summary>
public sealed class ResidualCollaborativeFitTests
{
    private const int D = 6;
    private const int F = 3;
    private const int C = F + 1; // the collaborative block [p; δ]
    private static readonly HybridModelOptions Options = new() { FactorDimension = F };

    private static DiagonalGaussian Prior() => DiagonalGaussian.Zero(Enumerable.Repeat(1.0, D + C).ToArray());

    /// <summary>
    /// Pairs of a user whose choices follow <paramref name="content"/>·Δx + <paramref name="factor"/>·Δv +
    /// <paramref name="strengthWeight"/>·Δb, the items' strengths b of spread <paramref name="strengthSpread"/>.
    /// </summary>
    private static List<LogisticObservation> Pairs(Random random, double[] content, double[] factor, int count, bool judged, double strengthWeight = 1, double strengthSpread = 0.3)
    {
        var list = new List<LogisticObservation>(count);
        for (int n = 0; n < count; n++)
        {
            var x = SyntheticData.GaussianVector(random, D);
            var u1 = SyntheticData.GaussianVector(random, F);
            var u2 = SyntheticData.GaussianVector(random, F);
            // A judged item carries a learned strength and offset (others' judgments); an unjudged one is ItemView.Unseen.
            var first = judged ? new ItemView(strengthSpread * SyntheticData.Gaussian(random), u1.Select(v => v + 0.5).ToArray(), u1) : ItemView.Unseen(u1);
            var second = judged ? new ItemView(strengthSpread * SyntheticData.Gaussian(random), u2.Select(v => v - 0.5).ToArray(), u2) : ItemView.Unseen(u2);
            double margin = SyntheticData.Dot(content, x) + (strengthWeight * (first.Strength - second.Strength))
                + SyntheticData.Dot(factor, first.Factor) - SyntheticData.Dot(factor, second.Factor);
            bool firstWins = random.NextDouble() < BayesianLogistic.Sigmoid(margin);
            list.Add(firstWins
                ? SchemeLearner.UserObservation(x, first, second)
                : SchemeLearner.UserObservation(x.Select(v => -v).ToArray(), second, first));
        }

        return list;
    }

    [Fact]
    public void FitUser_NoItemRecurs_CollaborativeWeightIsZeroAndTheSchemeIsTheContentOnlyFit()
    {
        // arrange: 120 pairs on items nobody else judged; the user's choices also follow a factor taste
        var random = new Random(11);
        var observations = Pairs(random, [1.5, -1, 0.5, 0, 0.8, -0.4], [2, -2, 1], 120, judged: false);
        var contentOnly = observations.Select(o => new LogisticObservation(o.Features[..D], 0, o.Weight)).ToList();

        // act
        var fit = SchemeLearner.FitUser(Prior(), observations, Options);
        var reference = SchemeLearner.FitUser(DiagonalGaussian.Zero(Enumerable.Repeat(1.0, D).ToArray()), contentOnly, Options);

        // assert: every pair has collaborative weight 0, p stays exactly at its prior mean, w is the content-only fit
        Assert.All(observations, o => Assert.Equal(0, o.CollaborativeWeight));
        Assert.Equal(new double[C], fit.Mean[D..]);
        Assert.Equal(reference.Scale, fit.Scale);
        for (int i = 0; i < D; i++)
        {
            Assert.Equal(reference.Mean[i], fit.Mean[i], tolerance: 1e-6);
        }
    }

    [Fact]
    public void FitUser_ItemsRecur_ContentWeightsAreTheContentStageAndTheFactorLearnsTheResidualTaste()
    {
        // arrange: pairs on items others judged; the taste has a content part and a factor part
        var random = new Random(5);
        double[] factorTaste = [2, -2, 1];
        var observations = Pairs(random, [1.5, -1, 0.5, 0, 0.8, -0.4], factorTaste, 400, judged: true);
        var contentOnly = observations.Select(o => new LogisticObservation(o.Features[..D], 0, o.Weight)).ToList();

        // act
        var fit = SchemeLearner.FitUser(Prior(), observations, Options);
        var reference = SchemeLearner.FitUser(DiagonalGaussian.Zero(Enumerable.Repeat(1.0, D).ToArray()), contentOnly, Options);

        // assert: w equals the content-only fit, p points along the planted factor taste
        Assert.All(observations, o => Assert.Equal(1, o.CollaborativeWeight));
        for (int i = 0; i < D; i++)
        {
            Assert.Equal(reference.Mean[i], fit.Mean[i], tolerance: 1e-6);
        }

        double cosine = SyntheticData.Cosine(fit.Mean[D..(D + F)], factorTaste);
        Assert.True(cosine > 0.95, $"cosine of p with the planted factor taste: {cosine:F3}");
    }

    [Theory]
    [InlineData(-1.0, -3.0, -1.0)] // chooses what the others rejected: the weight 1 + δ on b turns negative
    [InlineData(1.0, -0.5, 0.5)] // follows the others: δ stays near 0, the weight near 1
    [InlineData(0.0, -1.6, -0.4)] // ignores them: the weight near 0
    public void FitUser_ItemsRecur_StrengthWeightReadsHowTheUserFollowsOtherPeoplesJudgments(double plantedWeight, double lowDelta, double highDelta)
    {
        // arrange: 30 pairs on items others judged, strengths spread 1.5, the user's choices weigh them by plantedWeight
        var random = new Random(17);
        var observations = Pairs(random, [0.5, 0, 0, 0, 0, 0], [0, 0, 0], 30, judged: true, strengthWeight: plantedWeight, strengthSpread: 1.5);

        // act
        var fit = SchemeLearner.FitUser(Prior(), observations, Options);

        // assert: δ (the scheme's last value) brackets plantedWeight − 1
        double delta = fit.Mean[^1];
        Assert.InRange(delta, lowDelta, highDelta);
    }

    [Fact]
    public void FitUser_AtTheTenantsScale_HoldsTheCollaborativeStageThere_AndRecordsTheCriterionAtEveryScale()
    {
        // arrange: a user who chooses what the others rejected (weight −1 on item strength)
        var random = new Random(17);
        var observations = Pairs(random, [0.5, 0, 0, 0, 0, 0], [0, 0, 0], 30, judged: true, strengthWeight: -1, strengthSpread: 1.5);
        double strongest = Options.PriorScaleGrid.Max();

        // act: the user's own choice, the tenant's strongest scale, and a scale the grid does not hold
        var ownCriteria = new Dictionary<double, double>();
        var tenantCriteria = new Dictionary<double, double>();
        var own = SchemeLearner.FitUser(Prior(), observations, Options, collaborativeCriteria: ownCriteria);
        var tenant = SchemeLearner.FitUser(Prior(), observations, Options, collaborativeScale: strongest, collaborativeCriteria: tenantCriteria);
        var offGrid = SchemeLearner.FitUser(Prior(), observations, Options, collaborativeScale: 3.0);

        // assert: the content part is the same fit; δ is held near its prior at the strong scale; both fits recorded the
        // same criterion at every grid scale (what the tenant's choice sums); a scale off the grid is not taken
        Assert.Equal(own.Mean[..D], tenant.Mean[..D]);
        Assert.True(own.Mean[^1] < -1, $"own δ {own.Mean[^1]:F3}");
        Assert.InRange(tenant.Mean[^1], own.Mean[^1] / 4, 0);
        Assert.Equal(Options.PriorScaleGrid.Order(), ownCriteria.Keys.Order());
        Assert.Equal(ownCriteria.OrderBy(e => e.Key), tenantCriteria.OrderBy(e => e.Key));
        Assert.True(ownCriteria[strongest] < ownCriteria.Values.Max(), "the user's own evidence prefers a weaker scale");
        Assert.Equal(own.Mean, offGrid.Mean);
    }

    [Fact]
    public void Tenant_OfContrariansLeavesThePrior_OfUsersWithNothingToLearnStaysAtTheStrongestScale()
    {
        // arrange: 12 users who choose against what others chose, and 12 who follow it (weight 1 on item strength: the
        // pair's offset Δb already carries that, so their collaborative stage has nothing to learn)
        var random = new Random(23);
        var grid = Options.PriorScaleGrid;
        float[] Criteria(List<LogisticObservation> observations)
        {
            var criteria = new Dictionary<double, double>();
            SchemeLearner.FitUser(Prior(), observations, Options, collaborativeCriteria: criteria);
            return Array.ConvertAll(CollaborativeScale.Criteria(grid, criteria), c => (float)c);
        }

        var contrarians = Enumerable.Range(0, 12)
            .Select(_ => Criteria(Pairs(random, [0.5, 0, 0, 0, 0, 0], [0, 0, 0], 20, judged: true, strengthWeight: -1, strengthSpread: 1.5))).ToList();
        var followers = Enumerable.Range(0, 12)
            .Select(_ => Criteria(Pairs(random, [0.5, 0, 0, 0, 0, 0], [0, 0, 0], 20, judged: true, strengthWeight: 1, strengthSpread: 1.5))).ToList();

        // act
        double? contrarianScale = CollaborativeScale.Tenant(grid, contrarians.Select(c => ((IReadOnlyList<float>)c, 1.0)));
        double? followerScale = CollaborativeScale.Tenant(grid, followers.Select(c => ((IReadOnlyList<float>)c, 1.0)));

        // assert
        Assert.Equal(grid.Max(), followerScale);
        Assert.NotNull(contrarianScale);
        Assert.True(contrarianScale <= 16, $"contrarians' tenant scale {contrarianScale}");
    }

    [Fact]
    public void FitUserAtScale_NoItemRecurs_MatchesTheGridFitAtItsScale()
    {
        var random = new Random(3);
        var observations = Pairs(random, [1, 1, -1, 0, 0.5, 0], [1, 0, -1], 60, judged: false);
        var searched = SchemeLearner.FitUser(Prior(), observations, Options);

        var atScale = SchemeLearner.FitUserAtScale(Prior(), searched.Scale, observations, Options);

        Assert.Equal(new double[C], atScale.Mean[D..]);
        for (int i = 0; i < D + C; i++)
        {
            Assert.Equal(searched.Mean[i], atScale.Mean[i], tolerance: 1e-5);
        }
    }

    [Fact]
    public void FitUser_BlockPosterior_GivesTheContentFitsVarianceAlongContentDirections()
    {
        var random = new Random(9);
        var observations = Pairs(random, [1, -1, 0, 0, 0.5, 0.5], [1, 1, 0], 80, judged: true);
        var contentOnly = observations.Select(o => new LogisticObservation(o.Features[..D], 0, o.Weight)).ToList();
        var fit = SchemeLearner.FitUser(Prior(), observations, Options);
        var reference = SchemeLearner.FitUser(DiagonalGaussian.Zero(Enumerable.Repeat(1.0, D).ToArray()), contentOnly, Options);
        double[] direction = [1, 0, -1, 0.5, 0, 0];

        var padded = direction.Concat(new double[C]).ToArray();

        Assert.Equal(reference.Variance(direction), fit.Variance(padded), tolerance: 1e-6);
    }

    [Fact]
    public void UserModel_OnlinePairsOnItemsNobodyJudged_KeepTheFactorAtItsPrior()
    {
        // arrange: the service's path: pair evidence with the items' views as the item grains report them (unjudged)
        var random = new Random(4);
        var model = new UserModel(Prior(), Options with { PriorScaleSearchInterval = 4 });

        // act
        for (int n = 0; n < 40; n++)
        {
            var x = SyntheticData.GaussianVector(random, D);
            var first = ItemView.Unseen(SyntheticData.GaussianVector(random, F));
            var second = ItemView.Unseen(SyntheticData.GaussianVector(random, F));
            model.Add(new PairEvidence($"a{n}", $"b{n}", x, first, second, [1f, 0f]));
        }

        // assert
        Assert.Equal(40, model.PairCount);
        Assert.Equal(new double[C], model.Scheme[D..]);
        Assert.NotEqual(new double[D], model.Scheme[..D]);
    }
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class TestTimeScalerTests
{
    private static readonly HybridModelOptions Model = new() { FactorDimension = 0 };

    [Fact]
    public void NeighbourPool_NeverReturnsTheAskingUser_AndHandlesNLargerThanThePool()
    {
        var pool = new NeighbourPool();
        var empty = new Dictionary<string, double>();
        pool.Upsert("alice", [1, 0], [1, 0], empty);
        pool.Upsert("bob", [0.9, 0.1], [1, 0], empty);
        pool.Upsert("carol", [0, 1], [0, 1], empty);

        var nearest = pool.Nearest("alice", [1.0, 0.0], 10);

        Assert.DoesNotContain(nearest, n => n.UserId == "alice");
        Assert.Equal(["bob", "carol"], nearest.Select(n => n.UserId));
        Assert.Empty(new NeighbourPool().Nearest("alice", [1.0, 0.0], 4));
    }

    [Fact]
    public void IndividualSchemes_DifferFromEachOther_AndAreDeterministicUnderASeed()
    {
        var (map, prior, history) = UserWithHistory();
        var scaling = new ScalingOptions { M = 8, Seed = 42 };
        var query = new float[] { 1, 0, 0 };

        var first = TestTimeScaler.IndividualSchemes(map, prior, 1, history, query, scaling, Model, "t/u|q");
        var second = TestTimeScaler.IndividualSchemes(map, prior, 1, history, query, scaling, Model, "t/u|q");
        var otherSeed = TestTimeScaler.IndividualSchemes(map, prior, 1, history, query, scaling with { Seed = 43 }, Model, "t/u|q");

        Assert.Equal(8, first.Count);
        for (int i = 0; i < first.Count; i++)
        {
            for (int j = i + 1; j < first.Count; j++)
            {
                Assert.True(Distance(first[i], first[j]) > 1e-3, $"schemes {i} and {j} are the same");
            }
        }

        Assert.Equal(Average(first), Average(second));
        Assert.NotEqual(Average(first), Average(otherSeed));
    }

    [Fact]
    public void IndividualSchemes_PreferHistoryRelevantToTheQuery()
    {
        // arrange: pairs about query A say "feature 0 is good"; pairs about query B say "feature 0 is bad"
        var history = new List<HistoryEntry>();
        for (int k = 0; k < 20; k++)
        {
            history.Add(new HistoryEntry(new LogisticObservation([1.0, 0.1 * (k % 3)]), [1f, 0f]));
            history.Add(new HistoryEntry(new LogisticObservation([-1.0, 0.1 * (k % 3)]), [0f, 1f]));
        }

        var prior = DiagonalGaussian.Zero([1.0, 1.0]);
        var scaling = new ScalingOptions { M = 8, RelevanceTemperature = 0.05 };

        var forA = Average(TestTimeScaler.IndividualSchemes([0, 0], prior, 1, history, [1f, 0f], scaling, Model, "u|a"));
        var forB = Average(TestTimeScaler.IndividualSchemes([0, 0], prior, 1, history, [0f, 1f], scaling, Model, "u|b"));

        Assert.True(forA[0] > 0.5, $"query A weight {forA[0]:F3}");
        Assert.True(forB[0] < -0.5, $"query B weight {forB[0]:F3}");
    }

    [Fact]
    public void PrototypeLevel_UsesNeighboursActualJudgmentsOfTheSameItem()
    {
        // arrange: the user's own scheme is indifferent; its nearest neighbours chose item "b"
        var candidates = new[]
        {
            new Candidate("a", [0.0], new ItemView(0, [])),
            new Candidate("b", [0.0], new ItemView(0, [])),
        };
        var judgedB = new Dictionary<string, double> { ["b"] = 1, ["a"] = -1 };
        var pool = new[]
        {
            new Neighbour("n1", [0.0], 0.9, judgedB),
            new Neighbour("n2", [0.0], 0.8, judgedB),
        };

        var fused = TestTimeScaler.Fuse([[0.0]], candidates, pool, new ScalingOptions { N = 2 });

        Assert.Equal(1, TestTimeScaler.ArgMax(fused.Rewards));
        Assert.Equal(["n1", "n2"], fused.Neighbours);
        Assert.Equal(1.0, fused.CollaborativeShare, 6);
    }

    [Fact]
    public void ScalingOptions_RejectOutOfRangeValuesWithTheirNames()
    {
        Assert.Contains("m (individual schemes)", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { M = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("n (prototype neighbours)", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { N = -1 }.Validate()).Message, StringComparison.Ordinal);
    }

    private static (double[] Map, DiagonalGaussian Prior, List<HistoryEntry> History) UserWithHistory()
    {
        var random = new Random(1);
        var truth = new[] { 1.0, -0.5, 0.25 };
        var items = Enumerable.Range(0, 60).Select(_ => SyntheticData.GaussianVector(random, 3)).ToArray();
        var observations = SyntheticData.ToObservations(SyntheticData.SamplePairs(random, truth, items, 40));
        var history = observations.Select(o => new HistoryEntry(o, [(float)random.NextDouble(), (float)random.NextDouble(), 1f])).ToList();
        var prior = DiagonalGaussian.Zero([1.0, 1.0, 1.0]);
        var map = SchemeLearner.FitUserAtScale(prior, 1, observations, Model).Mean;
        return (map, prior, history);
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private static double[] Average(IReadOnlyList<double[]> schemes) =>
        Enumerable.Range(0, schemes[0].Length).Select(i => schemes.Average(s => s[i])).ToArray();
}

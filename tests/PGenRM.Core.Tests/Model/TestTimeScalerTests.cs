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
    public void Fuse_ItemsNobodyJudged_HaveNoCollaborativeShare()
    {
        // arrange: two unseen items (b = 0, v = u); a user and neighbours with non-zero factors p, so p·u moves the
        // rewards, but nothing there was learned from judgments
        var candidates = new[]
        {
            new Candidate("a", [1.0], ItemView.Unseen([0.4, -0.2])),
            new Candidate("b", [-0.5], ItemView.Unseen([-0.3, 0.5])),
        };
        var none = new Dictionary<string, double>();
        var pool = new[] { new Neighbour("n1", [0.2, -1.0, 0.7, 0.0], 0.9, none), new Neighbour("n2", [0.1, 0.5, 1.5, 0.0], 0.8, none) };

        var fused = TestTimeScaler.Fuse([[0.5, 1.0, 2.0, 0.0]], candidates, pool, new ScalingOptions { N = 2 });

        Assert.NotNull(fused.Prototype);
        Assert.NotEqual(fused.Rewards[0], fused.Rewards[1]);
        Assert.Equal(0.0, fused.CollaborativeShare, 12);
    }

    [Fact]
    public void Fuse_ItemsWithLearnedPartsOrJudges_HaveACollaborativeShare()
    {
        // arrange: item "a" has a learned strength and factor offset and a judge who preferred it
        double[] priorA = [0.4, -0.2], priorB = [-0.3, 0.5];
        var candidates = new[]
        {
            new Candidate("a", [1.0], new ItemView(0.2, [priorA[0] + 0.1, priorA[1]], priorA)),
            new Candidate("b", [-1.5], ItemView.Unseen(priorB)),
        };
        var judge = new Neighbour("j1", [0.0, 0.0, 0.0, 0.0], 0.9, new Dictionary<string, double> { ["a"] = 1, ["b"] = -1 });
        var scaling = new ScalingOptions { N = 1 };

        var learnedOnly = TestTimeScaler.Fuse([[0.5, 1.0, 2.0, 0.0]], candidates, [], scaling);
        var withJudge = TestTimeScaler.Fuse([[0.5, 1.0, 2.0, 0.0]], candidates, [], scaling, [[judge], [judge]]);

        Assert.Null(learnedOnly.Prototype);
        Assert.InRange(learnedOnly.CollaborativeShare, 0.05, 0.95);
        Assert.NotNull(withJudge.Prototype);
        Assert.True(withJudge.CollaborativeShare > learnedOnly.CollaborativeShare, $"{withJudge.CollaborativeShare:F3} vs {learnedOnly.CollaborativeShare:F3}");
    }

    [Fact]
    public void WithContent_AddsWhatJudgmentsTaught_AndLeavesUnjudgedItemsUnchanged()
    {
        // arrange: item "a" learned b = 0.2 and offset o = [0.1, 0]; a judge (zero scheme) preferred "a" over "b"
        double[] priorA = [0.4, -0.2], priorB = [-0.3, 0.5];
        var candidates = new[]
        {
            new Candidate("a", [1.0], new ItemView(0.2, [priorA[0] + 0.1, priorA[1]], priorA)),
            new Candidate("b", [-1.5], ItemView.Unseen(priorB)),
        };
        // a judge whose judgments agree fully with the user's (similarity 1) counts with its whole share
        var judge = new Neighbour("j1", [0.0, 0.0, 0.0, 0.0], 1.0, new Dictionary<string, double> { ["a"] = 1, ["b"] = -1 });
        var scaling = new ScalingOptions { N = 1 };
        var judged = TestTimeScaler.Fuse([[0.5, 1.0, 2.0, 0.0]], candidates, [], scaling, [[judge], [judge]]);
        var unjudged = TestTimeScaler.Fuse([[0.5, 1.0, 2.0, 0.0]], [candidates[1], new Candidate("c", [0.3], ItemView.Unseen(priorA))], [], scaling);

        // act: an LLM judge's scores take the content part's place
        var llm = TestTimeScaler.WithContent(judged, [8.0, 3.0]);
        var fresh = TestTimeScaler.WithContent(unjudged, [8.0, 3.0]);

        // assert: individual level b + p·o = 0.2 + 1·0.1; prototype level (zero scheme) b + judgment weight · J
        double a = scaling.IndividualWeight, j = scaling.JudgmentWeight;
        Assert.Equal(8.0 + (a * 0.3) + ((1 - a) * (0.2 + j)), llm.Rewards[0], 12);
        Assert.Equal(3.0 - ((1 - a) * j), llm.Rewards[1], 12);
        Assert.InRange(llm.CollaborativeShare, 0.01, 0.99);
        Assert.Equal(judged.Agreement, llm.Agreement);
        Assert.Equal([8.0, 3.0], fresh.Rewards);
        Assert.Equal(0.0, fresh.CollaborativeShare);
        Assert.Throws<ArgumentException>(() => TestTimeScaler.WithContent(judged, [1.0]));
    }

    [Fact]
    public void PrototypeLevel_WeighsNeighboursByTheirAgreement_AndIgnoresOnesWhoseTasteRunsAgainstTheUsers()
    {
        // arrange: the user's content weight prefers "a" (score 1 vs −1); every neighbour judged "b" over "a" (its own
        // scheme is indifferent); similarities: one against the user's taste (−0.6), one that half agrees (0.5)
        var candidates = new[]
        {
            new Candidate("a", [1.0], new ItemView(0, [])),
            new Candidate("b", [-1.0], new ItemView(0, [])),
        };
        var choseB = new Dictionary<string, double> { ["b"] = 1, ["a"] = -1 };
        var against = new Neighbour("against", [0.0], -0.6, choseB);
        var half = new Neighbour("half", [0.0], 0.5, choseB);
        var scaling = new ScalingOptions { N = 1 };
        double j = scaling.JudgmentWeight, w = scaling.IndividualWeight;

        // act
        var opposed = TestTimeScaler.Fuse([[1.0]], candidates, [against], scaling);
        var halfAgreeing = TestTimeScaler.Fuse([[1.0]], candidates, [half], scaling);
        var equal = TestTimeScaler.Fuse([[1.0]], candidates, [against], scaling with { Weighting = NeighbourWeighting.Equal });

        // assert: the opposed neighbour adds nothing and is not listed; the half-agreeing one counts half its share, the
        // other half is the user's own score; the paper's equal mean lets the opposed neighbour flip the choice
        Assert.Equal([1.0, -1.0], opposed.Rewards);
        Assert.Empty(opposed.Neighbours);
        Assert.Equal((w * 1) + ((1 - w) * ((0.5 * -j) + (0.5 * 1))), halfAgreeing.Rewards[0], 12);
        Assert.Equal((w * -1) + ((1 - w) * ((0.5 * j) + (0.5 * -1))), halfAgreeing.Rewards[1], 12);
        Assert.Equal(["half"], halfAgreeing.Neighbours);
        Assert.Equal(1, TestTimeScaler.ArgMax(equal.Rewards));
        Assert.Equal(0.0, TestTimeScaler.AgreementWeight(against, scaling));
        Assert.Equal(1.0, TestTimeScaler.AgreementWeight(against, scaling with { Weighting = NeighbourWeighting.Equal }));
        Assert.Throws<ArgumentException>(() => TestTimeScaler.PrototypeLevel([half], candidates, scaling, new HashSet<string>()));
    }

    [Fact]
    public void AgreementWeight_ShrinksTheSimilarityTowardEqualByItsEvidence_SoNoEvidenceIsNotDisagreement()
    {
        // arrange: pseudo-count c = 10
        var scaling = new ScalingOptions { N = 8, AgreementPrior = 10 };
        Neighbour With(double similarity, double evidence) =>
            new("n", [0.0], similarity, new Dictionary<string, double>()) { Evidence = evidence };

        // act + assert: (s·E + c) / (E + c), clamped to [0, 1]
        Assert.Equal(1.0, TestTimeScaler.AgreementWeight(With(0, 0), scaling));
        Assert.Equal(1.0, TestTimeScaler.AgreementWeight(With(double.NaN, 0), scaling));
        Assert.Equal((0.9 * 100 + 10) / 110, TestTimeScaler.AgreementWeight(With(0.9, 100), scaling), 12);
        Assert.Equal(10.0 / 1010, TestTimeScaler.AgreementWeight(With(0, 1000), scaling), 12);
        Assert.Equal(0.0, TestTimeScaler.AgreementWeight(With(-0.5, 100), scaling));
        Assert.Equal(0.3, TestTimeScaler.AgreementWeight(With(0.3, 5), scaling with { AgreementPrior = 0 }));
        Assert.Equal(0.3, TestTimeScaler.AgreementWeight(With(0.3, double.PositiveInfinity), scaling));
        Assert.Equal(1.0, TestTimeScaler.AgreementWeight(With(-0.5, 100), scaling with { Weighting = NeighbourWeighting.Equal }));
    }

    [Fact]
    public void AgreementWeight_FromSketches_FavoursANeighbourWhoAgreedOnManyItems_OverOneWithNoneInCommon()
    {
        // arrange: the user judged 60 items; "mate" judged the same 60 the same way, "contrarian" the other way,
        // "stranger" 60 other items, "newcomer" one other item (little judging of its own)
        var user = Judged("u", 0, 60, 1);
        var sketch = JudgmentSketch.Of(user);
        var scaling = new ScalingOptions { N = 8, AgreementPrior = 10 };
        double Weight(Dictionary<string, double> judgments)
        {
            var other = JudgmentSketch.Of(judgments);
            var neighbour = new Neighbour("n", [0.0], VectorSimilarity.Cosine(other, sketch), judgments)
            {
                Evidence = JudgmentSketch.Evidence(other, sketch),
            };
            return TestTimeScaler.AgreementWeight(neighbour, scaling);
        }

        // act
        double mate = Weight(Judged("u", 0, 60, 1));
        double contrarian = Weight(Judged("u", 0, 60, -1));
        double stranger = Weight(Judged("s", 0, 60, 1));
        double newcomer = Weight(Judged("s", 0, 1, 1));

        // assert: much agreement counts fully, much judging with nothing in common little, little judging of one's own
        // stays near equal (c / (√60 + c) ≈ 0.56 before the sketch's noise), disagreement not at all
        Assert.InRange(mate, 0.95, 1.0);
        Assert.Equal(0.0, contrarian);
        Assert.InRange(stranger, 0.05, 0.3);
        Assert.InRange(newcomer, 0.4, 0.75);
        Assert.True(mate > newcomer && newcomer > stranger && stranger > contrarian);
    }

    [Fact]
    public void ScalingOptions_RejectOutOfRangeValuesWithTheirNames()
    {
        Assert.Contains("m (individual schemes)", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { M = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("n (prototype neighbours)", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { N = -1 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Equal("AgreementPrior", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { AgreementPrior = -1 }.Validate()).ParamName);
        Assert.Equal("AgreementPrior", Assert.Throws<ArgumentOutOfRangeException>(() => new ScalingOptions { AgreementPrior = double.PositiveInfinity }.Validate()).ParamName);
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

    private static Dictionary<string, double> Judged(string prefix, int first, int count, double sign) =>
        Enumerable.Range(first, count).ToDictionary(i => $"agreement-{prefix}-{i}", i => i % 2 == 0 ? sign : -sign, StringComparer.Ordinal);

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private static double[] Average(IReadOnlyList<double[]> schemes) =>
        Enumerable.Range(0, schemes[0].Length).Select(i => schemes.Average(s => s[i])).ToArray();
}

using PGenRM.Core.Evaluator;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>How the worker turns item statistics and a prototype reservoir into the pool and the per-candidate judges (no cluster).</summary>
[Trait("Category", "Unit")]
public sealed class ScoringWorkerPrototypeLevelTests
{
    private const string User = "t/u";

    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void PrototypeLevel_ExcludesTheUserAndOrdersThePoolBySimilarity()
    {
        float[] me = [1, 0, 0];
        PrototypeReservoirCache.PoolMember[] members =
        [
            new(User, [9, 9], me),
            new("t/far", [2, 2], [0, 0, 1]),
            new("t/near", [1, 1], [1, 0.1f, 0]),
            new("t/unknown", [3, 3], []),
            new("t/mid", [4, 4], [1, 1, 0]),
        ];
        var (pool, judges) = ScoringWorker.PrototypeLevel(User, me, Encoded("i1"), [Stats([], [])], members);

        Assert.Equal(["t/near", "t/mid", "t/far", "t/unknown"], pool.Select(p => p.UserId));
        Assert.Equal([1.0, 1.0], pool[0].Scheme);
        Assert.Equal(0, pool[2].Similarity); // orthogonal keys

        // The judging behind each similarity (JudgmentSketch.Evidence: ‖a‖·‖b‖ / length), which the agreement rule
        // shrinks toward equal weights by; a member without a sketch has none.
        Assert.Equal(Math.Sqrt(1.01) / 3, pool[0].Evidence, 6);
        Assert.Equal(0, pool[3].Evidence);
        Assert.Empty(Assert.Single(judges));
    }

    [Fact]
    public void PrototypeLevel_TakesJudgmentsFromTheRecentJudgesAndOneSchemePerJudge()
    {
        float[] me = [1, 0];
        var i1 = Stats(
            [new ItemJudge("t/p", 1, T0), new ItemJudge("t/p", -1, T0), new ItemJudge("t/j", 1, T0), new ItemJudge(User, 1, T0)],
            [new ItemJudge("t/j", 1, T0, null, [1, 2], [1, 0])]);
        var i2 = Stats(
            [new ItemJudge("t/j", -1, T0.AddMinutes(1))],
            [new ItemJudge("t/j", -1, T0.AddMinutes(1), null, [5, 6], [1, 0])]);
        PrototypeReservoirCache.PoolMember[] members = [new("t/p", [7, 7], [0, 1])];

        var (pool, judges) = ScoringWorker.PrototypeLevel(User, me, Encoded("i1", "i2"), [i1, i2], members);

        // The pool member judged i1 twice (+1, −1): mean 0; it did not judge i2.
        var p = Assert.Single(pool);
        Assert.Equal(new Dictionary<string, double> { ["i1"] = 0 }, p.Judgments);

        // The judge's latest snapshot (at i2) serves both candidates, with its judgments of both.
        Assert.All(judges, list => Assert.Equal([5.0, 6.0], Assert.Single(list).Scheme));
        Assert.Equal(new Dictionary<string, double> { ["i1"] = 1, ["i2"] = -1 }, judges[0][0].Judgments);
        Assert.Equal(1, judges[0][0].Similarity, 6);
        Assert.Equal(0.5, judges[0][0].Evidence, 6);
        Assert.DoesNotContain(judges.SelectMany(j => j), n => n.UserId == User);
    }

    private static EncodedQuery Encoded(params string[] itemIds) =>
        new("q", [1], [1], itemIds.Select(id => new EncodedCandidate(id, [], [], [])).ToList());

    private static ItemStats Stats(IReadOnlyList<ItemJudge> recent, IReadOnlyList<ItemJudge> nearest) =>
        new(0, [], recent.Count(j => j.Sign > 0), recent.Count(j => j.Sign < 0), recent, [], nearest);
}

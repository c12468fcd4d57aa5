using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class SimilarityRankingTests
{
    [Fact]
    public void Rank_MostSimilarFirst_TiesByIdOrdinal()
    {
        // "B" < "a" < "b" in ordinal order; three ties at 0.5, one above, one below.
        var items = new[] { ("b", 0.5), ("low", -0.25), ("a", 0.5), ("top", 0.9), ("B", 0.5) };

        var ranked = SimilarityRanking.Rank(items, i => i.Item1, i => i.Item2);

        Assert.Equal(["top", "B", "a", "b", "low"], ranked.Select(r => r.Item.Item1));
        Assert.Equal([0.9, 0.5, 0.5, 0.5, -0.25], ranked.Select(r => r.Similarity));
    }

    [Fact]
    public void Rank_KeepsAtMostN_AndTheSameAnswerForAnyInputOrder()
    {
        var items = new[] { ("c", 0.5), ("a", 0.5), ("b", 0.5), ("d", 0.1) };

        var first = SimilarityRanking.Rank(items, i => i.Item1, i => i.Item2, 2).Select(r => r.Item.Item1).ToList();
        var reversed = SimilarityRanking.Rank(items.Reverse(), i => i.Item1, i => i.Item2, 2).Select(r => r.Item.Item1).ToList();

        Assert.Equal(["a", "b"], first);
        Assert.Equal(first, reversed);
        Assert.Empty(SimilarityRanking.Rank(items, i => i.Item1, i => i.Item2, 0));
        Assert.Equal(4, SimilarityRanking.Rank(items, i => i.Item1, i => i.Item2, 100).Count);
    }

    [Fact]
    public void NeighbourPool_Nearest_BreaksTiesByIdOrdinal()
    {
        var pool = new NeighbourPool();
        var none = new Dictionary<string, double>();
        pool.Upsert("u2", [1, 0], [0.2], none);
        pool.Upsert("u1", [2, 0], [0.1], none); // same direction: a tie at cosine 1
        pool.Upsert("me", [1, 0], [0.0], none);
        pool.Upsert("u3", [0, 1], [0.3], none);

        var nearest = pool.Nearest("me", [1.0, 0.0], 3);

        Assert.Equal(["u1", "u2", "u3"], nearest.Select(n => n.UserId));
        Assert.Equal([1.0, 1.0, 0.0], nearest.Select(n => n.Similarity));
    }
}

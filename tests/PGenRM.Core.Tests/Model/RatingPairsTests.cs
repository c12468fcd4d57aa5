using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class RatingPairsTests
{
    [Fact]
    public void Pairs_GivesHigherOverLowerAndSkipsTies()
    {
        var pairs = RatingPairs.Pairs([3, 1, 3, 2]);

        // 0 vs 2 tie; everything else ordered by rating.
        Assert.Equal([(0, 1), (0, 3), (2, 1), (3, 1), (2, 3)], pairs);
    }

    [Fact]
    public void Pairs_RejectsNonFiniteRatings()
    {
        var e = Assert.Throws<ArgumentException>(() => RatingPairs.Pairs([1, double.NaN]));
        Assert.Contains("Rating 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 1, 1.0)] // one pair of two items: capped at 1
    [InlineData(4, 4, 1.0)] // 2 agree × 2 disagree
    [InlineData(6, 9, 6 / 9.0)] // 3 × 3
    [InlineData(5, 10, 0.5)] // 5 distinct ratings
    [InlineData(0, 0, 1.0)]
    public void Weight_IsItemsOverPairsAtMostOne(int items, int pairs, double expected) =>
        Assert.Equal(expected, RatingPairs.Weight(items, pairs), 12);

    [Fact]
    public void Weight_CountsDistinctItemsOfThePairs()
    {
        (string, string)[] pairs = [("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("a", "b")];
        Assert.Equal(4 / 5.0, RatingPairs.Weight(pairs, StringComparer.Ordinal), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingPairs.Weight(-1, 2));
    }
}

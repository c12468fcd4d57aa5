using PGenRM.Core.Clustering;

namespace PGenRM.Core.Tests.Clustering;

[Trait("Category", "Unit")]
public sealed class ClusteringMetricsTests
{
    [Fact]
    public void AdjustedRandIndex_IsOne_ForIdenticalPartitionsWhateverTheLabelNames()
    {
        int[] a = [0, 0, 1, 1, 2, 2, 2];
        int[] b = [7, 7, -3, -3, 4, 4, 4];

        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(a, a), 12);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(a, b), 12);
    }

    [Theory]
    // Worked by hand from the contingency table (also scikit-learn's documented values):
    // [0,0,1,2] vs [0,0,1,1]: index 1, expected 1·2/6 = 1/3, max 3/2 → (2/3)/(7/6) = 4/7.
    [InlineData(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 4.0 / 7.0)]
    // Index 0, expected 2·2/6 = 2/3, max 2 → (−2/3)/(4/3) = −1/2: worse than chance.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, -0.5)]
    // One cluster against all singletons: no agreement beyond chance.
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    public void AdjustedRandIndex_MatchesTextbookValue(int[] a, int[] b, double expected)
    {
        Assert.Equal(expected, ClusteringMetrics.AdjustedRandIndex(a, b), 12);
        Assert.Equal(expected, ClusteringMetrics.AdjustedRandIndex(b, a), 12);
    }

    [Fact]
    public void AdjustedRandIndex_IsOne_ForDegenerateIdenticalPartitions()
    {
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex([3, 3, 3], [1, 1, 1]));
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex([0, 1, 2], [2, 0, 1]));
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex([5], [9]));
    }

    [Fact]
    public void AdjustedRandIndex_Throws_WhenLengthsDiffer()
    {
        var error = Assert.Throws<ArgumentException>(() => ClusteringMetrics.AdjustedRandIndex([0, 1], [0, 1, 1]));
        Assert.Contains("length", error.Message, StringComparison.Ordinal);
    }
}

using PGenRM.Core.Clustering;

namespace PGenRM.Core.Tests.Clustering;

[Trait("Category", "Unit")]
public sealed class CentroidAssignmentTests
{
    private static readonly float[][] Line = [[0f, 0f], [10f, 0f]];

    [Fact]
    public void Nearest_ReturnsClosestIndexAndEuclideanDistance()
    {
        var nearest = CentroidAssignment.Nearest([7f, 0f], Line);

        Assert.Equal(1, nearest.Index);
        Assert.Equal(3f, nearest.Distance, 5);
    }

    [Fact]
    public void Nearest_Cosine_ReturnsCosineDistanceAndPrefersLowerIndexOnTies()
    {
        float[][] axes = [[1f, 0f], [0f, 2f]];

        var onAxis = CentroidAssignment.Nearest([0f, 5f], axes, DistanceMetric.Cosine);
        var diagonal = CentroidAssignment.Nearest([1f, 1f], axes, DistanceMetric.Cosine);

        Assert.Equal(new NearestCentroid(1, 0f), onAxis);
        Assert.Equal(0, diagonal.Index);
        Assert.Equal(1f - (1f / MathF.Sqrt(2f)), diagonal.Distance, 5);
    }

    [Fact]
    public void ShouldMove_KeepsPointAtCurrentCentroid_WhenOtherIsBetterByLessThanMargin()
    {
        // Current distance 5.1, other 4.9: 4% closer, inside a 5% margin.
        Assert.False(CentroidAssignment.ShouldMove(0, [5.1f, 0f], Line, margin: 0.05f));
        Assert.Equal(0, CentroidAssignment.Reassign(0, [5.1f, 0f], Line, margin: 0.05f));

        // Without hysteresis the same point moves.
        Assert.True(CentroidAssignment.ShouldMove(0, [5.1f, 0f], Line, margin: 0f));
    }

    [Fact]
    public void ShouldMove_MovesPoint_WhenOtherIsBetterByMoreThanMargin()
    {
        // Current distance 5.4, other 4.6: 15% closer.
        Assert.True(CentroidAssignment.ShouldMove(0, [5.4f, 0f], Line, margin: 0.05f));
        Assert.Equal(1, CentroidAssignment.Reassign(0, [5.4f, 0f], Line, margin: 0.05f));
    }

    [Fact]
    public void Reassign_PicksNearestOther_AmongSeveralCentroids()
    {
        float[][] centroids = [[0f, 0f], [10f, 0f], [6f, 1f]];

        Assert.Equal(2, CentroidAssignment.Reassign(0, [6f, 0f], centroids, margin: 0.05f));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void ShouldMove_AlwaysMoves_WhenCurrentIndexIsNotACentroid(int currentIndex)
    {
        Assert.True(CentroidAssignment.ShouldMove(currentIndex, [1f, 0f], Line, margin: 0.5f));
        Assert.Equal(0, CentroidAssignment.Reassign(currentIndex, [1f, 0f], Line, margin: 0.5f));
    }

    [Fact]
    public void ShouldMove_Stays_WhenOnlyOneCentroid()
    {
        Assert.False(CentroidAssignment.ShouldMove(0, [100f, 0f], [[0f, 0f]], margin: 0.05f));
    }

    [Fact]
    public void Assignment_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CentroidAssignment.ShouldMove(0, [1f, 0f], Line, margin: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => CentroidAssignment.ShouldMove(0, [1f, 0f], Line, margin: -0.1f));
        Assert.Throws<ArgumentException>(() => CentroidAssignment.Nearest([1f, 0f], []));
        Assert.Throws<ArgumentException>(() => CentroidAssignment.Nearest([1f, 0f, 0f], Line));
    }
}

using PGenRM.Host.Api;

namespace PGenRM.Api.Tests;

/// <summary>The prototype map's projection.</summary>
public sealed class PrototypeMapTests
{
    [Fact]
    public void Project_KeepsDistancesOfCentroidsThatLieInAPlane()
    {
        // Four centroids in 5-D that span a 2-D plane: the map must keep every pairwise distance.
        float[][] centroids =
        [
            [0, 0, 1, 0, 0],
            [3, 0, 1, 0, 0],
            [0, 4, 1, 0, 0],
            [3, 4, 1, 0, 0],
        ];
        var (points, explained) = PrototypeMap.Project(centroids);
        Assert.Equal(4, points.Length);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double original = Math.Sqrt(centroids[i].Zip(centroids[j], (a, b) => (double)(a - b) * (a - b)).Sum());
                double mapped = Math.Sqrt(Math.Pow(points[i][0] - points[j][0], 2) + Math.Pow(points[i][1] - points[j][1], 2));
                Assert.Equal(original, mapped, 5);
            }
        }

        Assert.Equal(1.0, explained[0] + explained[1], 6);
        Assert.True(explained[0] >= explained[1]);
    }

    [Fact]
    public void Project_NoCentroids_GivesNoPoints() => Assert.Empty(PrototypeMap.Project([]).Points);
}

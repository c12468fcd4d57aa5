using PGenRM.Core.Clustering;

namespace PGenRM.Core.Tests.Clustering;

[Trait("Category", "Unit")]
public sealed class KMeansTests
{
    private const int Clusters = 5;
    private const int PerCluster = 100;
    private const int Dimension = 16;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Fit_RecoversPlantedGaussianClusters(int seed)
    {
        var (points, labels) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed);

        var result = new KMeans(new KMeansOptions { K = Clusters, Seed = seed }).Fit(points);

        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, result.Assignments) >= 0.9);
        Assert.True(result.Converged);
        Assert.InRange(result.Iterations, 1, 99);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void FitMiniBatch_RecoversPlantedGaussianClusters(int seed)
    {
        var (points, labels) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed);
        var options = new KMeansOptions { K = Clusters, Seed = seed, BatchSize = 32, MaxIterations = 50 };

        var result = new KMeans(options).FitMiniBatch(points);

        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, result.Assignments) >= 0.9);
        Assert.Equal(50, result.Iterations);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void MiniBatchUpdate_FromEmptyModel_RecoversClustersOnline(int seed)
    {
        var (points, labels) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed);
        var model = new KMeans(new KMeansOptions { K = Clusters, Seed = seed });

        // A stream of 50-point batches (the data is shuffled), as a tenant would feed reservoir samples.
        foreach (var batch in points.Chunk(50))
        {
            model.MiniBatchUpdate(batch);
        }

        var result = model.Assign(points);
        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, result.Assignments) >= 0.9);
        Assert.Equal(points.Length + Clusters, model.GetCounts().Sum()); // every k-means++ seed counts once
    }

    [Fact]
    public void MiniBatchUpdate_AfterRestore_FollowsDriftingClusters()
    {
        var (points, labels) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed: 21);
        var options = new KMeansOptions { K = Clusters, Seed = 21 };
        var original = new KMeans(options);
        var fitted = original.Fit(points);

        // Stored centroids and counts come back; then every member drifts by +3 on each axis.
        var restored = KMeans.FromCentroids(options, fitted.Centroids, original.GetCounts());
        var drifted = points.Select(p => p.Select(x => x + 3f).ToArray()).ToArray();
        var inertiaBefore = restored.Assign(drifted).Inertia;
        foreach (var batch in drifted.Chunk(25))
        {
            restored.MiniBatchUpdate(batch);
        }

        // With rate 1/count each centroid ends at the mean of its 100 old and 100 new members: half the drift is left.
        var after = restored.Assign(drifted);
        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, after.Assignments) >= 0.9);
        Assert.True(after.Inertia < inertiaBefore / 2);
        Assert.Equal(2 * points.Length, restored.GetCounts().Sum());
    }

    [Fact]
    public void Fit_IsDeterministicUnderSeed()
    {
        var (points, _) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed: 7);
        var options = new KMeansOptions { K = Clusters, Seed = 42 };

        var first = new KMeans(options).Fit(points);
        var model = new KMeans(options);
        var second = model.Fit(points);
        var again = model.Fit(points);

        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.Inertia, second.Inertia);
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Centroids, again.Centroids);
    }

    [Fact]
    public void FitMiniBatch_IsDeterministicUnderSeed()
    {
        var (points, _) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed: 8);
        var options = new KMeansOptions { K = Clusters, Seed = 42, BatchSize = 16, MaxIterations = 20 };

        var first = new KMeans(options).FitMiniBatch(points);
        var second = new KMeans(options).FitMiniBatch(points);

        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.Centroids, second.Centroids);
    }

    [Fact]
    public void Fit_ReportsInertiaAndAssignmentsConsistentWithCentroids()
    {
        var (points, _) = PlantedClusters.Gaussian(Clusters, PerCluster, Dimension, seed: 9);

        var result = new KMeans(new KMeansOptions { K = Clusters, Seed = 1 }).Fit(points);

        var expectedInertia = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            var nearest = CentroidAssignment.Nearest(points[i], result.Centroids);
            Assert.Equal(nearest.Index, result.Assignments[i]);
            expectedInertia += nearest.Distance * (double)nearest.Distance;
        }

        Assert.Equal(expectedInertia, result.Inertia, expectedInertia * 1e-5);
    }

    [Fact]
    public void Fit_Throws_WhenKExceedsPointCount()
    {
        float[][] points = [[0f, 1f], [1f, 0f], [2f, 2f]];

        var error = Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 4 }).Fit(points));
        Assert.Contains("K = 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 4 }).FitMiniBatch(points));
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 4 }).MiniBatchUpdate(points));
    }

    [Fact]
    public void Fit_HandlesFewerDistinctPointsThanK()
    {
        float[][] points = [.. Enumerable.Repeat(new[] { 1f, 2f }, 6), [5f, 5f]];

        var result = new KMeans(new KMeansOptions { K = 3, Seed = 3 }).Fit(points);

        Assert.Equal(0.0, result.Inertia, 9);
        Assert.All(result.Assignments, a => Assert.InRange(a, 0, 2));
        Assert.NotEqual(result.Assignments[0], result.Assignments[6]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cosine_RecoversClustersOfDirections(int seed)
    {
        var (points, labels) = PlantedClusters.Directions(clusters: 4, perCluster: 60, dimension: 8, seed);
        var snapshot = points.Select(p => p.ToArray()).ToArray();
        var options = new KMeansOptions { K = 4, Seed = seed, Metric = DistanceMetric.Cosine };

        var full = new KMeans(options).Fit(points);
        var miniBatch = new KMeans(options with { BatchSize = 32, MaxIterations = 50 }).FitMiniBatch(points);

        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, full.Assignments) >= 0.9);
        Assert.True(ClusteringMetrics.AdjustedRandIndex(labels, miniBatch.Assignments) >= 0.9);
        Assert.All(full.Centroids, c => Assert.Equal(1.0, Math.Sqrt(c.Sum(x => x * (double)x)), 5));
        Assert.InRange(full.Inertia / points.Length, 0.0, 0.05); // mean cosine distance of ~0.05 noise
        Assert.Equal(snapshot, points); // inputs are normalised as copies, never in place
    }

    [Fact]
    public void MiniBatchUpdate_ReseedsNeverUpdatedCentroid_FromFarthestPoint()
    {
        float[][] centroids = [[0f, 0f], [10f, 0f], [1000f, 1000f]];
        var model = KMeans.FromCentroids(new KMeansOptions { K = 3 }, centroids, [5, 5, 0]);
        float[][] batch = [[0f, 1f], [0f, -1f], [10f, 1f], [10f, -1f], [13f, 0f]];

        model.MiniBatchUpdate(batch);

        // Nothing is near centroid 2 and it has never been updated, so it takes (13, 0): 3 from its centroid, the farthest.
        var after = model.GetCentroids();
        Assert.Equal([13f, 0f], after[2]);
        Assert.Equal([7L, 7L, 1L], model.GetCounts());
        // Centroid 1 saw (10, 1) at rate 1/6 then (10, −1) at rate 1/7: back on (10, 0).
        Assert.Equal(10f, after[1][0], 5);
        Assert.Equal(0f, after[1][1], 5);
        Assert.Equal([1000f, 1000f], centroids[2]); // restored from a copy
    }

    [Fact]
    public void MiniBatchUpdate_LeavesRestoredCentroidsWithoutCountsAlone_WhenBatchMissesThem()
    {
        float[][] centroids = [[0f, 0f], [10f, 0f], [0f, 10f]];
        var model = KMeans.FromCentroids(new KMeansOptions { K = 3 }, centroids);

        model.MiniBatchUpdate([[1f, 1f], [-1f, -1f], [2f, 0f]]);

        // Each restored centroid counts as one observation, so centroid 0 moves to the mean of 4 points
        // and the two centroids no point reached stay where they were.
        var after = model.GetCentroids();
        Assert.Equal(0.5f, after[0][0], 5);
        Assert.Equal(0f, after[0][1], 5);
        Assert.Equal(centroids[1], after[1]);
        Assert.Equal(centroids[2], after[2]);
        Assert.Equal([4L, 1L, 1L], model.GetCounts());
    }

    [Fact]
    public void KMeans_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { K = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { K = 2, BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { K = 2, Initializations = 0 }));
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 1 }).Fit([[1f, 2f], [1f]]));
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 1 }).Fit([[1f, float.NaN]]));
        Assert.Throws<ArgumentException>(() => KMeans.FromCentroids(new KMeansOptions { K = 3 }, [[1f, 2f]]));
        Assert.Throws<InvalidOperationException>(() => new KMeans(new KMeansOptions { K = 1 }).Assign([[1f, 2f]]));

        var fitted = new KMeans(new KMeansOptions { K = 1 });
        fitted.Fit([[1f, 2f]]);
        Assert.Throws<ArgumentException>(() => fitted.MiniBatchUpdate([[1f, 2f, 3f]]));
    }
}

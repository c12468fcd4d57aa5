using System.Diagnostics;
using System.Numerics.Tensors;
using PGenRM.Core.Clustering;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The re-clustering pass on its own (no cluster): planted clusters in reservoirs of the shipped size.</summary>
public sealed class PrototypeClusteringTests
{
    private const int Dimension = 100, Clusters = 4, PerCluster = 256;

    [Fact]
    public void Run_RecoversPlantedClusters_AndKeepsTheirIndicesOnTheNextPass()
    {
        var random = new Random(3);
        var (samples, labels, points) = Planted(random);

        var clock = Stopwatch.StartNew();
        var first = PrototypeClustering.Run(samples, [], Clusters, 1, 42)!;
        clock.Stop();
        double ari = ClusteringMetrics.AdjustedRandIndex(labels, Assign(points, first.Centroids));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"MEASURE recluster pass: {points.Count} samples, d = {Dimension}, k = {Clusters}: {clock.Elapsed.TotalMilliseconds:F0} ms; ARI = {ari:F3}; counts {string.Join("/", first.Counts)}");
        Assert.True(ari > 0.95, $"ARI {ari:F3}");

        // Each reservoir sample stands for members / samples users: the counts add up to the members, not the samples.
        Assert.Equal(samples.Sum(s => s.Members), first.Counts.Sum());

        // The next pass over a reshuffled sample starts from these centroids and keeps every cluster's index.
        var (again, _, _) = Planted(new Random(4));
        var second = PrototypeClustering.Run(again, first.Centroids, Clusters, 2, 43)!;
        for (int c = 0; c < Clusters; c++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(first.Centroids[c], second.Centroids[c]) > 0.9, $"prototype {c} changed meaning between passes");
        }
    }

    [Fact]
    public void Run_RenumbersAFreshFitToMatchThePreviousCentroids()
    {
        var (samples, _, _) = Planted(new Random(5));
        var truth = PrototypeClustering.Run(samples, [], Clusters, 1, 1)!;

        // Previous centroids in another order (as a fresh fit might number them): the result follows the previous order.
        var previous = truth.Centroids.Reverse().ToList();
        var shifted = previous.Select(c => c.Select(x => x + 0.05f).ToArray()).ToList();
        var result = PrototypeClustering.Run(samples, shifted.Take(Clusters - 1).ToList(), Clusters, 2, 9)!;
        for (int c = 0; c < Clusters - 1; c++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(previous[c], result.Centroids[c]) > 0.9, $"prototype {c} was renumbered");
        }
    }

    [Fact]
    public void Run_ReturnsNull_WhenNoMemberHasLearnedAnything()
    {
        var idle = new MemberSnapshot("t/u", new float[Dimension], [], 0, 1);
        Assert.Null(PrototypeClustering.Run([(1, [idle])], [], 2, 1, 1));
        Assert.Null(PrototypeClustering.Run([(0, [])], [], 2, 1, 1));
    }

    /// <summary>Four planted directions with noise, split over two prototypes' reservoirs of 512 members' worth each.</summary>
    private static (List<(long Members, IReadOnlyList<MemberSnapshot> Reservoir)> Samples, int[] Labels, List<float[]> Points) Planted(Random random)
    {
        var directions = Enumerable.Range(0, Clusters).Select(_ => Vector(new Random(100 + _), 1.0)).ToArray();
        var reservoirs = new[] { new List<MemberSnapshot>(), new List<MemberSnapshot>() };
        var labels = new List<int>();
        var points = new List<float[]>();
        for (int c = 0; c < Clusters; c++)
        {
            for (int i = 0; i < PerCluster; i++)
            {
                var noise = Vector(random, 0.35);
                var point = directions[c].Select((x, j) => x + noise[j]).ToArray();
                labels.Add(c);
                points.Add(point);

                // The old prototypes mix the planted clusters (as after a first pass at version 0).
                reservoirs[random.Next(2)].Add(new MemberSnapshot($"t/u{c}-{i}", point, [], 5, 1));
            }
        }

        var samples = reservoirs.Select(r => ((long)(2 * r.Count), (IReadOnlyList<MemberSnapshot>)r)).ToList();
        var order = reservoirs.SelectMany(r => r).Select(m => points.FindIndex(p => ReferenceEquals(p, m.Scheme))).ToArray();
        return (samples, order.Select(i => labels[i]).ToArray(), order.Select(i => points[i]).ToList());
    }

    private static float[] Vector(Random random, double scale) =>
        Enumerable.Range(0, Dimension).Select(_ => (float)(scale * ((random.NextDouble() * 2) - 1))).ToArray();

    private static int[] Assign(List<float[]> points, IReadOnlyList<float[]> centroids) =>
        points.Select(p => CentroidAssignment.Nearest(p, centroids, DistanceMetric.Cosine).Index).ToArray();
}

using System.Diagnostics;
using System.Numerics.Tensors;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
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
        var first = PrototypeClustering.Run(samples, [], Clusters, 1, 42, new HybridModelOptions().PriorScaleGrid)!;
        clock.Stop();
        double ari = ClusteringMetrics.AdjustedRandIndex(labels, Assign(points, first.Centroids));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"MEASURE recluster pass: {points.Count} samples, d = {Dimension}, k = {Clusters}: {clock.Elapsed.TotalMilliseconds:F0} ms; ARI = {ari:F3}; counts {string.Join("/", first.Counts)}");
        Assert.True(ari > 0.95, $"ARI {ari:F3}");

        // Each reservoir sample stands for members / samples users: the counts add up to the members, not the samples.
        Assert.Equal(samples.Sum(s => s.Members), first.Counts.Sum());

        // The next pass over a reshuffled sample starts from these centroids and keeps every cluster's index.
        var (again, _, _) = Planted(new Random(4));
        var second = PrototypeClustering.Run(again, first.Centroids, Clusters, 2, 43, new HybridModelOptions().PriorScaleGrid)!;
        for (int c = 0; c < Clusters; c++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(first.Centroids[c], second.Centroids[c]) > 0.9, $"prototype {c} changed meaning between passes");
        }
    }

    [Fact]
    public void Run_RenumbersAFreshFitToMatchThePreviousCentroids()
    {
        var (samples, _, _) = Planted(new Random(5));
        var truth = PrototypeClustering.Run(samples, [], Clusters, 1, 1, new HybridModelOptions().PriorScaleGrid)!;

        // Previous centroids in another order (as a fresh fit might number them): the result follows the previous order.
        var previous = truth.Centroids.Reverse().ToList();
        var shifted = previous.Select(c => c.Select(x => x + 0.05f).ToArray()).ToList();
        var result = PrototypeClustering.Run(samples, shifted.Take(Clusters - 1).ToList(), Clusters, 2, 9, new HybridModelOptions().PriorScaleGrid)!;
        for (int c = 0; c < Clusters - 1; c++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(previous[c], result.Centroids[c]) > 0.9, $"prototype {c} was renumbered");
        }
    }

    [Fact]
    public void Run_ReturnsNull_WhenNoMemberHasLearnedAnything()
    {
        var idle = new MemberSnapshot("t/u", new float[Dimension], [], 0, 1);
        Assert.Null(PrototypeClustering.Run([(1, [idle])], [], 2, 1, 1, new HybridModelOptions().PriorScaleGrid));
        Assert.Null(PrototypeClustering.Run([(0, [])], [], 2, 1, 1, new HybridModelOptions().PriorScaleGrid));
    }

    [Fact]
    public void Run_SumsTheMembersCollaborativeCriteria_EachSampleWeightedByTheMembersItStandsFor()
    {
        // arrange: prototype A has 100 members sampled by two snapshots preferring the strongest scale by 1; prototype B
        // two members preferring the weakest by 10. Counted per snapshot the weakest would win (−2 against −20); counted
        // per member (A's samples stand for 50 each) the strongest does (−20 against −100). A third, idle member has none.
        var grid = new HybridModelOptions().PriorScaleGrid;
        int strongest = grid.ToList().IndexOf(grid.Max()), weakest = grid.ToList().IndexOf(grid.Min());
        float[] preferStrongest = Enumerable.Repeat(-1f, grid.Count).ToArray();
        preferStrongest[strongest] = 0;
        float[] preferWeakest = Enumerable.Repeat(-10f, grid.Count).ToArray();
        preferWeakest[weakest] = 0;
        var random = new Random(8);
        MemberSnapshot Member(string user, float[] criteria) => new($"t/{user}", Vector(random, 1.0, Dimension), [], 5, 1, criteria);
        IReadOnlyList<MemberSnapshot> a = [Member("a1", preferStrongest), Member("a2", preferStrongest), Member("a3", [])];
        IReadOnlyList<MemberSnapshot> b = [Member("b1", preferWeakest), Member("b2", preferWeakest)];

        // act
        var weighted = PrototypeClustering.Run([(150, a), (2, b)], [], 2, 1, 3, grid)!;
        var perSnapshot = PrototypeClustering.Run([(3, a), (2, b)], [], 2, 1, 3, grid)!;
        var none = PrototypeClustering.Run([(3, [Member("c1", []), Member("c2", [])])], [], 2, 1, 3, grid)!;

        // assert
        Assert.Equal(grid.Max(), weighted.CollaborativeScale);
        Assert.Equal(grid.Min(), perSnapshot.CollaborativeScale);
        Assert.Null(none.CollaborativeScale);
    }

    [Fact]
    public void Run_GivesTheCentroidsOfTheTrainersClusteringRule()
    {
        // arrange: a planted population in 12 dimensions: two large prototypes (40 users) and a small one (4 users),
        // member noise sd 0.3; every member is in its prototype's reservoir (each sample stands for one user)
        const int d = 12;
        var (schemes, reservoir) = PlantedPrototypes(new Random(21), 200, 2.0, [40, 40, 4], 0.3, d);

        // act: the grains' pass and the rule HybridTrainer runs (PrototypeShrinkage.Fit), at the grains' settings: directions
        // from the zero-mean tenant prior, no shrinkage (see PrototypeClustering)
        var directory = PrototypeClustering.Run([(reservoir.Count, reservoir)], [], 3, 1, 7, new HybridModelOptions().PriorScaleGrid)!;
        var core = PrototypeShrinkage.Fit(new double[d], schemes, null, 3, 7, shrink: false);

        // assert: the same centroids (to float precision) and member counts, and the planted prototypes found
        for (int c = 0; c < 3; c++)
        {
            for (int j = 0; j < d; j++)
            {
                Assert.InRange(Math.Abs(core.Centroids[c][j] - directory.Centroids[c][j]), 0, 1e-5);
            }

            Assert.Equal((long)core.Mass[c], directory.Counts[c]);
        }

        Assert.Equal([4.0, 40.0, 40.0], core.Mass.Order());
    }

    [Fact]
    public void Run_PublishesPriorsShrunkTowardThePopulationBySize_WithTheTrainersKappa_AndUnshrunkCentroids()
    {
        // arrange: three prototypes that barely differ (centres ±0.4 per dimension) against member noise of sd 1, two of
        // 60 users and one of 3; each reservoir sample stands for one user
        const int d = 12;
        var (schemes, reservoir) = PlantedPrototypes(new Random(31), 300, 0.4, [60, 60, 3], 1.0, d);

        // act
        var directory = PrototypeClustering.Run([(reservoir.Count, reservoir)], [], 3, 1, 7, new HybridModelOptions().PriorScaleGrid)!;

        // assert: the centroids are the unshrunk clustering's (users are placed by them); each prior is the population (the
        // members' mean) plus n/(n + κ) of its centroid's deviation, with one κ for all prototypes: the method-of-moments κ
        // of the same assignment (PrototypeShrinkage.Kappa, the trainer's), positive and finite here
        var core = PrototypeShrinkage.Fit(new double[d], schemes, null, 3, 7, shrink: false);
        var population = Enumerable.Range(0, d).Select(j => schemes.Average(s => s[j])).ToArray();
        double kappa = PrototypeShrinkage.Kappa(population, schemes, core.Assignments, 3);
        Assert.InRange(kappa, 1.0, 1e6);
        Assert.InRange(Math.Abs(directory.Kappa - kappa), 0, 1e-6 * kappa);
        Assert.NotNull(directory.Priors);
        for (int c = 0; c < 3; c++)
        {
            double keep = directory.Counts[c] / (directory.Counts[c] + kappa);
            for (int j = 0; j < d; j++)
            {
                Assert.InRange(Math.Abs(core.Centroids[c][j] - directory.Centroids[c][j]), 0, 1e-5);
                Assert.InRange(Math.Abs(population[j] + (keep * (directory.Centroids[c][j] - population[j])) - directory.Priors![c][j]), 0, 1e-4);
            }
        }

        // the smallest prototype is pulled furthest toward the population
        double Pull(int c) => Distance(directory.Priors![c], population) / Distance(directory.Centroids[c], population);
        int smallest = Array.IndexOf(directory.Counts.ToArray(), directory.Counts.Min());
        Assert.All(Enumerable.Range(0, 3).Where(c => c != smallest), c => Assert.True(Pull(smallest) < Pull(c), $"prototype {smallest} ({directory.Counts[smallest]} members) kept {Pull(smallest):F3}, prototype {c} ({directory.Counts[c]}) {Pull(c):F3}"));
    }

    /// <summary>
    /// Planted prototypes in <paramref name="dimension"/> dimensions: centres uniform in ±<paramref name="spread"/> per
    /// dimension (seeded from <paramref name="centreSeed"/> on), members at a centre plus uniform noise of sd
    /// <paramref name="noiseSd"/>, rounded to float as snapshots store them; one reservoir holding every member.
    /// </summary>
    private static (List<double[]> Schemes, List<MemberSnapshot> Reservoir) PlantedPrototypes(
        Random random, int centreSeed, double spread, int[] sizes, double noiseSd, int dimension)
    {
        var schemes = new List<double[]>();
        for (int c = 0; c < sizes.Length; c++)
        {
            var centre = Vector(new Random(centreSeed + c), spread, dimension);
            for (int i = 0; i < sizes[c]; i++)
            {
                var noise = Vector(random, noiseSd * Math.Sqrt(3), dimension);
                schemes.Add(centre.Select((x, j) => (double)(float)(x + noise[j])).ToArray());
            }
        }

        var reservoir = schemes.Select((s, u) => new MemberSnapshot($"t/u{u}", Array.ConvertAll(s, x => (float)x), [], 5, 1)).ToList();
        return (schemes, reservoir);
    }

    private static double Distance(float[] a, double[] b) => Math.Sqrt(a.Select((x, j) => (x - b[j]) * (x - b[j])).Sum());

    private static float[] Vector(Random random, double scale, int dimension) =>
        Enumerable.Range(0, dimension).Select(_ => (float)(scale * ((random.NextDouble() * 2) - 1))).ToArray();

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

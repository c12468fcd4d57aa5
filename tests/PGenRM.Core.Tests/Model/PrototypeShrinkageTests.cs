using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class PrototypeShrinkageTests
{
    [Fact]
    public void Kappa_HandComputedExample_IsWithinOverBetweenVariance()
    {
        // arrange: 1-d schemes, population 0; cluster 0 = {1, 3} (mean 2), cluster 1 = {-2, -4} (mean -3)
        double[] population = [0];
        double[][] schemes = [[1], [3], [-2], [-4]];
        int[] assignments = [0, 0, 1, 1];

        // act
        double kappa = PrototypeShrinkage.Kappa(population, schemes, assignments, 2);
        var centroids = PrototypeShrinkage.Centroids(population, schemes, assignments, 2, kappa);

        // assert: σ² = (1 + 1 + 1 + 1) / (4 − 2) = 2; τ² = ((4 − 2/2) + (9 − 2/2)) / 2 = 5.5; κ = 2 / 5.5
        Assert.Equal(2 / 5.5, kappa, tolerance: 1e-12);
        Assert.Equal(2 * 2 / (2 + kappa), centroids[0][0], tolerance: 1e-12);
        Assert.Equal(-3 * 2 / (2 + kappa), centroids[1][0], tolerance: 1e-12);
    }

    [Fact]
    public void Centroids_LargeDistinctPrototypes_KeepTheirMeans()
    {
        // arrange: two prototypes of 40 members each at ±3 in 10 dimensions, member noise sd 0.5
        var random = new Random(4);
        const int d = 10;
        var population = new double[d];
        var schemes = new List<double[]>();
        var assignments = new List<int>();
        for (int u = 0; u < 80; u++)
        {
            int c = u % 2;
            schemes.Add(Enumerable.Range(0, d).Select(_ => (c == 0 ? 3.0 : -3.0) + (0.5 * SyntheticData.Gaussian(random))).ToArray());
            assignments.Add(c);
        }

        // act
        double kappa = PrototypeShrinkage.Kappa(population, schemes, assignments, 2);
        var centroids = PrototypeShrinkage.Centroids(population, schemes, assignments, 2, kappa);

        // assert: κ is tiny next to 40 members, so each centroid keeps more than 99 % of its mean's deviation
        Assert.True(kappa < 0.1, $"κ = {kappa}");
        Assert.True(centroids[0].Average() > 0.99 * 3 - 0.2 && centroids[1].Average() < -(0.99 * 3) + 0.2);
    }

    [Fact]
    public void Centroids_PrototypesThatAreOnlyNoise_ShrinkToThePopulation()
    {
        // arrange: 21 users with no prototype structure (all from the population, sd 1), split into 8 arbitrary clusters
        var random = new Random(8);
        const int d = 12;
        var population = SyntheticData.GaussianVector(random, d);
        var schemes = Enumerable.Range(0, 21).Select(_ => population.Select(p => p + SyntheticData.Gaussian(random)).ToArray()).ToList();
        var assignments = Enumerable.Range(0, 21).Select(u => u % 8).ToList();

        // act
        double kappa = PrototypeShrinkage.Kappa(population, schemes, assignments, 8);
        var centroids = PrototypeShrinkage.Centroids(population, schemes, assignments, 8, kappa);

        // assert: every centroid keeps at most a third of its raw deviation from the population (raw means are 2–3 users)
        for (int c = 0; c < 8; c++)
        {
            var members = schemes.Where((_, u) => assignments[u] == c).ToList();
            double raw = Distance(members.Aggregate(new double[d], (acc, s) => acc.Select((a, i) => a + (s[i] / members.Count)).ToArray()), population);
            double shrunk = Distance(centroids[c], population);
            Assert.True(shrunk <= raw / 3, $"cluster {c}: {shrunk:F3} of {raw:F3} (κ = {kappa:F2})");
        }
    }

    [Fact]
    public void Kappa_EveryClusterASingleMember_IsZero()
    {
        double kappa = PrototypeShrinkage.Kappa([0, 0], [[1, 2], [-1, 0]], [0, 1], 2);

        Assert.Equal(0, kappa);
    }

    [Fact]
    public void Weights_CountAsRepeatedMembers()
    {
        // arrange: 15 users in 3 clusters, each standing for 3 users (a reservoir sample of a big prototype)
        var random = new Random(11);
        const int d = 6;
        var population = SyntheticData.GaussianVector(random, d);
        var schemes = Enumerable.Range(0, 15).Select(u => population.Select(p => p + (u % 3) + SyntheticData.Gaussian(random)).ToArray()).ToList();
        var assignments = Enumerable.Range(0, 15).Select(u => u % 3).ToList();
        var tripled = schemes.SelectMany(s => new[] { s, s, s }).ToList();
        var tripledAssignments = assignments.SelectMany(a => new[] { a, a, a }).ToList();

        // act
        var weighted = PrototypeShrinkage.FromAssignments(population, schemes, Enumerable.Repeat(3.0, 15).ToList(), assignments, 3, shrink: true, 0);
        double kappa = PrototypeShrinkage.Kappa(population, tripled, tripledAssignments, 3);
        var centroids = PrototypeShrinkage.Centroids(population, tripled, tripledAssignments, 3, kappa);

        // assert: the same κ, centroids and masses as the 45 repeated members
        Assert.Equal(kappa, weighted.Kappa, 9);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(15, weighted.Mass[c]);
            for (int i = 0; i < d; i++)
            {
                Assert.Equal(centroids[c][i], weighted.Centroids[c][i], 9);
            }
        }

        Assert.Throws<ArgumentException>(() => PrototypeShrinkage.Kappa(population, schemes, assignments, 3, [1.0]));
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Select((x, i) => (x - b[i]) * (x - b[i])).Sum());
}

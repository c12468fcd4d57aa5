using PGenRM.Core.Clustering;

namespace PGenRM.Core.Model;

/// <summary>
/// Shrinks prototype centroids toward the population by cluster size (empirical Bayes for normal means): a member's
/// scheme is its prototype's mean plus within-cluster noise of variance σ² per dimension, a prototype's mean is the
/// population plus a between-prototype effect of variance τ², so the posterior mean of a prototype with n members is
/// population + n/(n + κ)·(member mean − population) with κ = σ²/τ². A prototype of 2 users among 21 thus stays near
/// the population unless the prototypes really differ; a large, distinct one keeps its own mean. The one home of this
/// rule and of the clustering it follows (<see cref="Fit"/>): the offline trainer (HybridTrainer) and the grains'
/// background re-clustering both call it.
/// </summary>
public static class PrototypeShrinkage
{
    /// <summary>
    /// The directions users are clustered on: each scheme's deviation from the population, normalised (zero when the
    /// scheme is the population), as the float vectors cosine k-means takes.
    /// </summary>
    public static float[][] Directions(double[] population, IReadOnlyList<double[]> schemes)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(schemes);
        return schemes.Select(s => Direction(population, s)).ToArray();
    }

    /// <summary>
    /// Cosine k-means (k-means++ seeded by <paramref name="seed"/>) on the schemes' deviations from the population
    /// (<see cref="Directions"/>), then the centroids of <see cref="FromAssignments"/>.
    /// </summary>
    /// <param name="population">The population scheme (the target of the shrinkage and the origin of the directions).</param>
    /// <param name="schemes">Member schemes, each as long as <paramref name="population"/>.</param>
    /// <param name="weights">Users each scheme stands for (a reservoir sample of a big prototype stands for several); null = 1 each.</param>
    /// <param name="k">Prototypes (at most the number of schemes).</param>
    /// <param name="seed">Seed of the k-means++ initialisation.</param>
    /// <param name="shrink">Whether centroids are shrunk toward the population by cluster size.</param>
    public static PrototypeFit Fit(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<double>? weights, int k, int seed, bool shrink)
    {
        var directions = Directions(population, schemes);
        var result = new KMeans(Options(k, seed)).Fit(directions);
        return FromAssignments(population, schemes, weights, result.Assignments, k, shrink, result.Inertia);
    }

    /// <summary>The k-means settings of <see cref="Fit"/> (cosine), for a caller that warm-starts from earlier centroids.</summary>
    public static KMeansOptions Options(int k, int seed) => new() { K = k, Seed = seed, Metric = DistanceMetric.Cosine };

    /// <summary>
    /// The prototypes of a given assignment: κ (<see cref="Kappa"/>, 0 when <paramref name="shrink"/> is false), the shrunk
    /// centroids (<see cref="Centroids"/>) and each prototype's mass, all with the members' weights.
    /// </summary>
    public static PrototypeFit FromAssignments(
        double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<double>? weights, IReadOnlyList<int> assignments, int k, bool shrink, double inertia)
    {
        double kappa = shrink ? Kappa(population, schemes, assignments, k, weights) : 0;
        var centroids = Centroids(population, schemes, assignments, k, kappa, weights);
        var mass = new double[k];
        for (int u = 0; u < assignments.Count; u++)
        {
            mass[assignments[u]] += weights?[u] ?? 1;
        }

        return new PrototypeFit(assignments.ToArray(), centroids, kappa, mass, inertia);
    }

    /// <summary>
    /// κ = σ²/τ² estimated from the members: σ² pooled within clusters (N − K degrees of freedom), τ² from the spread of
    /// the cluster means around the population less their sampling noise σ²/n (method of moments, floored at 0).
    /// Returns 0 (no shrinkage) when σ² cannot be estimated (every cluster a single member) and
    /// <see cref="double.PositiveInfinity"/> (every centroid at the population) when the means do not spread beyond noise.
    /// </summary>
    /// <param name="population">The population scheme.</param>
    /// <param name="schemes">Member schemes.</param>
    /// <param name="assignments">Cluster index per member.</param>
    /// <param name="clusters">Number of clusters K.</param>
    /// <param name="weights">Users each scheme stands for; null = 1 each (then n is the member count).</param>
    public static double Kappa(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(assignments);
        var (means, counts) = Means(population, schemes, assignments, clusters, weights);
        int dimension = population.Length;
        int nonEmpty = counts.Count(c => c > 0);
        double freedom = counts.Sum() - nonEmpty;
        if (freedom <= 0 || dimension == 0)
        {
            return 0;
        }

        double within = 0;
        for (int u = 0; u < schemes.Count; u++)
        {
            within += (weights?[u] ?? 1) * SquaredDistance(schemes[u], means[assignments[u]]);
        }

        double sigma2 = within / (freedom * dimension);
        double between = 0;
        for (int c = 0; c < clusters; c++)
        {
            if (counts[c] > 0)
            {
                between += (SquaredDistance(means[c], population) / dimension) - (sigma2 / counts[c]);
            }
        }

        double tau2 = Math.Max(0, between / nonEmpty);
        return sigma2 == 0 ? 0 : tau2 == 0 ? double.PositiveInfinity : sigma2 / tau2;
    }

    /// <summary>
    /// The shrunk centroids: population + n/(n + κ)·(member mean − population); an empty cluster is the population.
    /// </summary>
    /// <param name="population">The population scheme.</param>
    /// <param name="schemes">Member schemes.</param>
    /// <param name="assignments">Cluster index per member.</param>
    /// <param name="clusters">Number of clusters K.</param>
    /// <param name="kappa">κ of <see cref="Kappa"/>.</param>
    /// <param name="weights">Users each scheme stands for; null = 1 each.</param>
    public static double[][] Centroids(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters, double kappa, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(population);
        if (double.IsNaN(kappa) || kappa < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "κ must be ≥ 0.");
        }

        var (means, counts) = Means(population, schemes, assignments, clusters, weights);
        var centroids = new double[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            double keep = counts[c] == 0 || double.IsPositiveInfinity(kappa) ? 0 : counts[c] / (counts[c] + kappa);
            centroids[c] = new double[population.Length];
            for (int i = 0; i < population.Length; i++)
            {
                centroids[c][i] = population[i] + (keep * (means[c][i] - population[i]));
            }
        }

        return centroids;
    }

    private static (double[][] Means, double[] Counts) Means(
        double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters, IReadOnlyList<double>? weights)
    {
        if (schemes.Count != assignments.Count)
        {
            throw new ArgumentException($"Got {assignments.Count} assignments for {schemes.Count} schemes.", nameof(assignments));
        }

        if (weights is not null && (weights.Count != schemes.Count || weights.Any(w => !(w > 0) || double.IsInfinity(w))))
        {
            throw new ArgumentException($"Expected {schemes.Count} positive finite weights.", nameof(weights));
        }

        var means = new double[clusters][];
        var counts = new double[clusters];
        for (int c = 0; c < clusters; c++)
        {
            means[c] = new double[population.Length];
        }

        for (int u = 0; u < schemes.Count; u++)
        {
            int c = assignments[u];
            double weight = weights?[u] ?? 1;
            counts[c] += weight;
            for (int i = 0; i < population.Length; i++)
            {
                means[c][i] += weight * schemes[u][i];
            }
        }

        for (int c = 0; c < clusters; c++)
        {
            for (int i = 0; i < population.Length; i++)
            {
                means[c][i] = counts[c] == 0 ? population[i] : means[c][i] / counts[c];
            }
        }

        return (means, counts);
    }

    /// <summary>The normalised deviation of one scheme from the population (zero when equal).</summary>
    private static float[] Direction(double[] population, double[] scheme)
    {
        var v = new double[population.Length];
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = scheme[i] - population[i];
            norm += v[i] * v[i];
        }

        norm = Math.Sqrt(norm);
        for (int i = 0; i < v.Length && norm > 0; i++)
        {
            v[i] /= norm;
        }

        return v.Select(x => (float)x).ToArray();
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double diff = a[i] - b[i];
            total += diff * diff;
        }

        return total;
    }
}

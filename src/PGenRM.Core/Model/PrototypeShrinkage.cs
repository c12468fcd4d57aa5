namespace PGenRM.Core.Model;

/// <summary>
/// Shrinks prototype centroids toward the population by cluster size (empirical Bayes for normal means): a member's
/// scheme is its prototype's mean plus within-cluster noise of variance σ² per dimension, a prototype's mean is the
/// population plus a between-prototype effect of variance τ², so the posterior mean of a prototype with n members is
/// population + n/(n + κ)·(member mean − population) with κ = σ²/τ². A prototype of 2 users among 21 thus stays near
/// the population unless the prototypes really differ; a large, distinct one keeps its own mean. The one home of this
/// rule: the offline trainer uses it, and the grains' clustering should call it too.
/// </summary>
public static class PrototypeShrinkage
{
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
    public static double Kappa(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(assignments);
        var (means, counts) = Means(population, schemes, assignments, clusters);
        int dimension = population.Length;
        int nonEmpty = counts.Count(c => c > 0);
        int freedom = schemes.Count - nonEmpty;
        if (freedom <= 0 || dimension == 0)
        {
            return 0;
        }

        double within = 0;
        for (int u = 0; u < schemes.Count; u++)
        {
            within += SquaredDistance(schemes[u], means[assignments[u]]);
        }

        double sigma2 = within / (freedom * (double)dimension);
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
    public static double[][] Centroids(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters, double kappa)
    {
        ArgumentNullException.ThrowIfNull(population);
        if (double.IsNaN(kappa) || kappa < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "κ must be ≥ 0.");
        }

        var (means, counts) = Means(population, schemes, assignments, clusters);
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

    private static (double[][] Means, int[] Counts) Means(double[] population, IReadOnlyList<double[]> schemes, IReadOnlyList<int> assignments, int clusters)
    {
        if (schemes.Count != assignments.Count)
        {
            throw new ArgumentException($"Got {assignments.Count} assignments for {schemes.Count} schemes.", nameof(assignments));
        }

        var means = new double[clusters][];
        var counts = new int[clusters];
        for (int c = 0; c < clusters; c++)
        {
            means[c] = new double[population.Length];
        }

        for (int u = 0; u < schemes.Count; u++)
        {
            int c = assignments[u];
            counts[c]++;
            for (int i = 0; i < population.Length; i++)
            {
                means[c][i] += schemes[u][i];
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

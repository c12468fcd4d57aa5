using PGenRM.Core.Clustering;

namespace PGenRM.Core.Model;

/// <summary>
/// Shrinks prototype centroids toward the population by cluster size (empirical Bayes for normal means): a member's
/// scheme is its prototype's mean plus within-cluster noise of variance σ² per dimension, a prototype's mean is the
/// population plus a between-prototype effect of variance τ², so the posterior mean of a prototype with n members is
/// population + n/(n + κ)·(member mean − population) with κ = σ²/τ². A prototype of 2 users among 21 thus stays near
/// the population unless the prototypes really differ; a large, distinct one keeps its own mean. κ is estimated by the
/// method of moments (<see cref="Kappa"/>, the default) or, as a development alternative, by how well the other members'
/// centroid predicts a member's held-out pairs (<see cref="HeldOutKappa"/>, <see cref="PrototypeShrinkageRule"/>). The one home of this
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

    /// <summary>The κ grid of <see cref="HeldOutKappa"/>: from no shrinkage (0) to every centroid at the population (∞).</summary>
    public static IReadOnlyList<double> HeldOutGrid { get; } = [0, 0.5, 1, 2, 4, 8, 16, 64, double.PositiveInfinity];

    /// <summary>
    /// κ chosen by held-out prediction: for each κ of <paramref name="grid"/>, every member u is scored on each of its
    /// held-out folds (<see cref="HeldOutFold.LogLikelihood"/>: pairs its fold scheme did not see) under the centroid of
    /// the <i>other</i> members of the prototype that fold scheme joins (the nearest, by cosine, of the others' mean
    /// directions from the population, as k-means assigns), shrunk by that κ: population + m/(m + κ)·(mean of the others
    /// − population), m their weight. The κ with the highest total (members weighted) wins; ties go to the larger κ.
    /// Both the prototype's members and the choice of prototype are thus kept out of the pairs being scored: a member's
    /// own pairs pick its prototype among neighbours that look like it, so scoring the same pairs would favour small
    /// prototypes whatever they predict. A prototype moves its members away from the population only when it predicts
    /// pairs nobody used to build or pick it better than the population does; κ = ∞ scores everything under the
    /// population. Unlike the method of moments (<see cref="Kappa"/>), which asks whether the prototypes' means spread
    /// beyond their noise in scheme space, this asks the question the prior is for (issue 11: 21 TL;DR users, ~80 dimensions).
    /// </summary>
    /// <param name="population">The population scheme (the shrink target).</param>
    /// <param name="schemes">Member schemes, each fitted on its own member's data alone (they build the centroids).</param>
    /// <param name="assignments">Prototype index per member.</param>
    /// <param name="clusters">Number of prototypes K.</param>
    /// <param name="folds">Per member: its held-out folds (none: the member builds centroids but is not scored).</param>
    /// <param name="grid">Candidate κ values (≥ 0, ∞ allowed); null = <see cref="HeldOutGrid"/>.</param>
    /// <param name="weights">Users each scheme stands for; null = 1 each.</param>
    public static double HeldOutKappa(
        double[] population,
        IReadOnlyList<double[]> schemes,
        IReadOnlyList<int> assignments,
        int clusters,
        IReadOnlyList<IReadOnlyList<HeldOutFold>> folds,
        IReadOnlyList<double>? grid = null,
        IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(folds);
        grid ??= HeldOutGrid;
        if (grid.Count == 0 || grid.Any(g => double.IsNaN(g) || g < 0))
        {
            throw new ArgumentException("The κ grid must hold at least one value ≥ 0.", nameof(grid));
        }

        if (folds.Count != schemes.Count)
        {
            throw new ArgumentException($"Got folds for {folds.Count} members and {schemes.Count} schemes.", nameof(folds));
        }

        var (means, counts) = Means(population, schemes, assignments, clusters, weights);
        var (directionSums, _) = Means(population, Directions(population, schemes).Select(d => Array.ConvertAll(d, x => (double)x)).ToList(), assignments, clusters, weights);
        for (int c = 0; c < clusters; c++)
        {
            for (int i = 0; i < population.Length; i++)
            {
                directionSums[c][i] = counts[c] == 0 ? 0 : directionSums[c][i] * counts[c];
            }
        }

        var totals = new double[grid.Count];
        var centroid = new double[population.Length];
        var others = new double[population.Length];
        for (int u = 0; u < schemes.Count; u++)
        {
            double weight = weights?[u] ?? 1;
            var ownDirection = Direction(population, schemes[u]);
            foreach (var fold in folds[u])
            {
                int c = Nearest(population, fold.Scheme, directionSums, counts, assignments[u], ownDirection, weight);
                double mass = counts[c] - (c == assignments[u] ? weight : 0);
                for (int i = 0; i < population.Length; i++)
                {
                    // The others' mean: the prototype's weighted mean with this member taken out.
                    double sum = counts[c] * means[c][i] - (c == assignments[u] ? weight * schemes[u][i] : 0);
                    others[i] = mass <= 1e-12 ? population[i] : sum / mass;
                }

                for (int g = 0; g < grid.Count; g++)
                {
                    double keep = mass <= 1e-12 || double.IsPositiveInfinity(grid[g]) ? 0 : mass / (mass + grid[g]);
                    for (int i = 0; i < population.Length; i++)
                    {
                        centroid[i] = population[i] + (keep * (others[i] - population[i]));
                    }

                    totals[g] += weight * fold.LogLikelihood(centroid);
                }
            }
        }

        int best = -1;
        foreach (int g in Enumerable.Range(0, grid.Count).OrderByDescending(g => grid[g]))
        {
            if (best < 0 || totals[g] > totals[best] + 1e-9)
            {
                best = g;
            }
        }

        return grid[best];
    }

    /// <summary>
    /// The prototype a fold scheme joins: the highest cosine between its deviation from the population and the sum of the
    /// other members' directions per prototype (k-means' cosine assignment without the member); a fold scheme at the
    /// population, or no prototype with other members, keeps the member's own assignment.
    /// </summary>
    private static int Nearest(double[] population, double[] scheme, double[][] directionSums, double[] counts, int own, float[] ownDirection, double weight)
    {
        var direction = Direction(population, scheme);
        int best = own;
        double bestCosine = double.NegativeInfinity;
        for (int c = 0; c < directionSums.Length; c++)
        {
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < direction.Length; i++)
            {
                double v = directionSums[c][i] - (c == own ? weight * ownDirection[i] : 0);
                dot += direction[i] * v;
                norm += v * v;
            }

            if (norm > 1e-24 && counts[c] - (c == own ? weight : 0) > 1e-12 && dot / Math.Sqrt(norm) > bestCosine)
            {
                bestCosine = dot / Math.Sqrt(norm);
                best = c;
            }
        }

        return direction.Any(x => x != 0) ? best : own;
    }

    /// <summary>
    /// Σ weight·log σ(θ·z + offset) of observations under a scheme θ. A θ shorter than the features scores the content
    /// stage, as <see cref="SchemeLearner.FitUser"/> fits it: a pair's first θ.Length features and no offset (the items'
    /// strengths belong to the collaborative part); a pseudo-pair without a collaborative block keeps its offset.
    /// </summary>
    public static double LogLikelihood(IReadOnlyList<LogisticObservation> observations, double[] theta)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(theta);
        double total = 0;
        foreach (var o in observations)
        {
            int length = Math.Min(theta.Length, o.Features.Length);
            double margin = o.Features.Length > theta.Length && o.ContentLength is not null ? 0 : o.Offset;
            for (int i = 0; i < length; i++)
            {
                margin += theta[i] * o.Features[i];
            }

            total += o.Weight * BayesianLogistic.LogSigmoid(margin);
        }

        return total;
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

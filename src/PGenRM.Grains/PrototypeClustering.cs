using System.Numerics.Tensors;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// One re-clustering pass over the prototypes' reservoirs with the offline trainer's clustering rule
/// (<see cref="PrototypeShrinkage.Fit"/>, its one home): cosine k-means on the member schemes, centroid = the members'
/// (weighted) mean scheme. The directions start at the tenant's zero-mean prior (not at a population scheme) and the
/// published centroids are not shrunk, because users place themselves (UserMembership.Place / Recheck) by the cosine of
/// their raw scheme to them; population-centred, shrunk centroids all lie near the population and that placement then
/// scatters users (a planted two-group test fell to an adjusted Rand index of −0.07). The *priors* are shrunk, as the
/// trainer's are: each prototype's mean moves toward the sampled members' population by its size, with the trainer's κ
/// (<see cref="PrototypeShrinkage.Kappa"/>), and is published beside the centroids (<see cref="PrototypeDirectory.Priors"/>).
/// Online additions: each reservoir sample stands for members / samples users (its weight
/// in the means and the counts, so a big prototype is not under-counted), the current centroids are a warm start, and
/// the new prototypes are numbered to match the old ones so that users whose cluster did not change do not move.
/// The same pass sums the sampled members' collaborative criteria into the tenant's collaborative scale
/// (<see cref="CollaborativeScale.Tenant"/>, the rule the trainer uses), published with the centroids.
/// </summary>
internal static class PrototypeClustering
{
    /// <summary>Mini-batch passes over the points that refine the warm start.</summary>
    private const int WarmEpochs = 5;

    /// <summary>The new directory (version <paramref name="version"/>), or null when no member has a usable scheme yet.</summary>
    /// <param name="samples">Per current prototype index: its member count and reservoir.</param>
    /// <param name="previous">The current centroids (empty at version 0).</param>
    /// <param name="k">Prototypes wanted (capped by the points).</param>
    /// <param name="version">Version of the result.</param>
    /// <param name="seed">Seed of the k-means++ initialisation.</param>
    /// <param name="scaleGrid">The model's prior-scale grid, over which members report their collaborative criteria.</param>
    public static PrototypeDirectory? Run(
        IReadOnlyList<(long Members, IReadOnlyList<MemberSnapshot> Reservoir)> samples, IReadOnlyList<float[]> previous, int k, long version, int seed, IReadOnlyList<double> scaleGrid)
    {
        var points = new List<double[]>();
        var weights = new List<double>();
        var criteria = new List<(IReadOnlyList<float>, double)>();
        double idleWeight = 0;
        foreach (var (members, reservoir) in samples)
        {
            if (reservoir.Count == 0)
            {
                continue;
            }

            double weight = Math.Max(1.0, (double)members / reservoir.Count);
            foreach (var member in reservoir)
            {
                if (member.CollaborativeCriteria is { Length: > 0 } c)
                {
                    criteria.Add((c, weight));
                }

                if (TensorPrimitives.Norm(member.Scheme) > 0)
                {
                    points.Add(Array.ConvertAll(member.Scheme, x => (double)x));
                    weights.Add(weight);
                }
                else
                {
                    // A user still exactly at the tenant prior has no direction to cluster on; it is only counted.
                    idleWeight += weight;
                }
            }
        }

        if (points.Count == 0)
        {
            return null;
        }

        int dimension = points[0].Length;
        k = Math.Clamp(k, 1, points.Count);
        var origin = new double[dimension];
        var fit = PrototypeShrinkage.Fit(origin, points, weights, k, seed, shrink: false);
        bool aligned = false;
        var previousDirections = previous.Count == k && previous.All(c => c.Length == dimension)
            ? PrototypeShrinkage.Directions(origin, previous.Select(c => Array.ConvertAll(c, x => (double)x)).ToList())
            : null;
        if (previousDirections is not null && previousDirections.All(c => TensorPrimitives.Norm(c) > 0))
        {
            var warm = KMeans.FromCentroids(PrototypeShrinkage.Options(k, seed), previousDirections);
            var directions = PrototypeShrinkage.Directions(origin, points);
            for (int epoch = 0; epoch < WarmEpochs; epoch++)
            {
                warm.MiniBatchUpdate(directions);
            }

            var warmResult = warm.Assign(directions);

            // Prefer the warm start unless a fresh fit explains the points clearly better: it keeps users where they are.
            if (warmResult.Inertia <= fit.Inertia * 1.01)
            {
                fit = PrototypeShrinkage.FromAssignments(origin, points, weights, warmResult.Assignments, k, shrink: false, warmResult.Inertia);
                aligned = true;
            }
        }

        var output = fit.Centroids.Select(c => Array.ConvertAll(c, x => (float)x)).ToArray();
        var population = Population(points, weights);
        double kappa = PrototypeShrinkage.Kappa(population, points, fit.Assignments, k, weights);
        var shrunk = PrototypeShrinkage.Centroids(population, points, fit.Assignments, k, kappa, weights);
        var mass = (double[])fit.Mass.Clone();
        int largest = Array.IndexOf(mass, mass.Max());
        mass[largest] += idleWeight;
        var order = aligned ? Enumerable.Range(0, k).ToArray() : Align(output, previous);
        var finalCentroids = new float[k][];
        var priors = new float[k][];
        var counts = new long[k];
        for (int c = 0; c < k; c++)
        {
            finalCentroids[order[c]] = output[c];
            priors[order[c]] = Array.ConvertAll(shrunk[c], x => (float)x);
            counts[order[c]] = (long)Math.Round(mass[c]);
        }

        // The tenant's collaborative scale from the same sample, each snapshot standing for members / samples users.
        return new PrototypeDirectory(version, finalCentroids, counts, 0, CollaborativeScale.Tenant(scaleGrid, criteria), priors, kappa);
    }

    /// <summary>The population the priors shrink toward: the members' mean scheme (each sample weighted by the members it stands for).</summary>
    private static double[] Population(List<double[]> points, List<double> weights)
    {
        var mean = new double[points[0].Length];
        double total = 0;
        for (int u = 0; u < points.Count; u++)
        {
            total += weights[u];
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += weights[u] * points[u][i];
            }
        }

        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] /= total;
        }

        return mean;
    }

    /// <summary>
    /// The index each new centroid gets: greedily the old index it is most similar to (cosine), so a cluster that
    /// survived a pass keeps its number and its members stay put; new clusters take the indices left over.
    /// </summary>
    private static int[] Align(float[][] fresh, IReadOnlyList<float[]> previous)
    {
        int k = fresh.Length;
        var order = Enumerable.Repeat(-1, k).ToArray();
        var taken = new bool[k];
        var pairs = new List<(double Similarity, int New, int Old)>();
        for (int c = 0; c < k; c++)
        {
            for (int o = 0; o < Math.Min(k, previous.Count); o++)
            {
                if (previous[o].Length == fresh[c].Length && TensorPrimitives.Norm(previous[o]) > 0 && TensorPrimitives.Norm(fresh[c]) > 0)
                {
                    pairs.Add((TensorPrimitives.CosineSimilarity(fresh[c], previous[o]), c, o));
                }
            }
        }

        foreach (var (_, c, o) in pairs.OrderByDescending(p => p.Similarity).ThenBy(p => p.New).ThenBy(p => p.Old))
        {
            if (order[c] < 0 && !taken[o])
            {
                order[c] = o;
                taken[o] = true;
            }
        }

        int next = 0;
        for (int c = 0; c < k; c++)
        {
            if (order[c] < 0)
            {
                while (taken[next])
                {
                    next++;
                }

                order[c] = next;
                taken[next] = true;
            }
        }

        return order;
    }

    /// <summary>Seed of a pass (deterministic per tenant and version).</summary>
    public static int Seed(string tenant, long version) => Core.Model.StableHash.Seed((int)version, tenant);
}

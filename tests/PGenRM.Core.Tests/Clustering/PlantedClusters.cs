namespace PGenRM.Core.Tests.Clustering;

/// <summary>Synthetic data with known cluster labels.</summary>
internal static class PlantedClusters
{
    /// <summary>
    /// <paramref name="clusters"/> × <paramref name="perCluster"/> points in <paramref name="dimension"/>-d: centres uniform in
    /// [−10, 10] per coordinate, redrawn until every pair is at least 20 apart (well separated: a point lies about
    /// σ√d = 4 from its centre), points = centre + N(0, <paramref name="sigma"/>²) noise, shuffled so that no method can
    /// lean on the input order.
    /// </summary>
    public static (float[][] Points, int[] Labels) Gaussian(int clusters, int perCluster, int dimension, int seed, double sigma = 1.0)
    {
        var random = new Random(seed);
        var centres = new List<float[]>();
        while (centres.Count < clusters)
        {
            var centre = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
            if (centres.All(c => Math.Sqrt(c.Zip(centre, (x, y) => (x - y) * (double)(x - y)).Sum()) >= 20))
            {
                centres.Add(centre);
            }
        }

        var items = new List<(float[] Point, int Label)>();
        for (var c = 0; c < clusters; c++)
        {
            for (var p = 0; p < perCluster; p++)
            {
                items.Add((centres[c].Select(x => x + (float)(sigma * Normal(random))).ToArray(), c));
            }
        }

        return Shuffle(items, random);
    }

    /// <summary>
    /// Clusters of directions: each point is a random unit direction (pairwise cosine at most 0.5, i.e. 60° or more apart)
    /// plus small noise, scaled by a length anywhere in [0.1, 50], so that Euclidean distance is dominated by length and
    /// only the direction carries the cluster.
    /// </summary>
    public static (float[][] Points, int[] Labels) Directions(int clusters, int perCluster, int dimension, int seed)
    {
        var random = new Random(seed);
        var directions = new List<float[]>();
        while (directions.Count < clusters)
        {
            var direction = UnitVector(random, dimension);
            if (directions.All(d => d.Zip(direction, (x, y) => x * (double)y).Sum() <= 0.5))
            {
                directions.Add(direction);
            }
        }

        var items = new List<(float[] Point, int Label)>();
        for (var c = 0; c < clusters; c++)
        {
            for (var p = 0; p < perCluster; p++)
            {
                var length = 0.1 + (random.NextDouble() * 49.9);
                items.Add((directions[c].Select(x => (float)(length * (x + (0.05 * Normal(random))))).ToArray(), c));
            }
        }

        return Shuffle(items, random);
    }

    private static float[] UnitVector(Random random, int dimension)
    {
        var v = Enumerable.Range(0, dimension).Select(_ => Normal(random)).ToArray();
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    private static (float[][] Points, int[] Labels) Shuffle(List<(float[] Point, int Label)> items, Random random)
    {
        var shuffled = items.ToArray();
        random.Shuffle(shuffled);
        return (shuffled.Select(i => i.Point).ToArray(), shuffled.Select(i => i.Label).ToArray());
    }

    // Box–Muller; 1 − NextDouble() keeps the logarithm's argument in (0, 1].
    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}

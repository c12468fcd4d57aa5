using System.Numerics.Tensors;

namespace PGenRM.Core.Clustering;

/// <summary>
/// k-means over float vectors: k-means++ initialisation, Lloyd iterations (<see cref="Fit"/>), and mini-batch
/// updates after Sculley (2010) (<see cref="FitMiniBatch"/>, <see cref="MiniBatchUpdate"/>), so that prototypes can
/// follow the population online from reservoirs of member vectors without a full re-fit.
/// </summary>
/// <remarks>
/// <para>
/// The model keeps its centroids and, per centroid, the number of points that have updated it; a mini-batch step
/// moves a centroid towards each assigned point with learning rate 1/count. <see cref="Fit"/> sets the counts to the
/// cluster sizes, so online updates after a full fit continue with matching weights.
/// </para>
/// <para>
/// Empty clusters are re-seeded from the farthest point: a cluster left without members takes the point that is
/// farthest from its own centroid (among points whose cluster keeps at least one member), which is the point the
/// current solution explains worst. In a mini-batch step this applies to centroids with a count of 0 (placeholders
/// given to <see cref="FromCentroids"/>, or clusters left empty by a full pass) that get no point of the batch;
/// k-means++ seeds and restored centroids without counts start at 1, so a centroid is never discarded merely because
/// one batch missed it.
/// When every remaining point sits exactly on a centroid (fewer distinct points than K), a cluster may stay empty.
/// </para>
/// <para>
/// Under <see cref="DistanceMetric.Cosine"/> inputs are normalised (copies; the caller's arrays are never written)
/// and centroids are renormalised after every update, so this is spherical k-means.
/// </para>
/// <para>Deterministic for a given seed and input order. Not thread-safe: one caller at a time.</para>
/// </remarks>
public sealed class KMeans
{
    private readonly Random _onlineRandom;
    private float[][]? _centroids;
    private long[] _counts = [];

    /// <summary>Creates an empty model; fit it or feed it mini-batches.</summary>
    /// <exception cref="ArgumentOutOfRangeException">K, MaxIterations, BatchSize or Initializations below 1, or an unknown metric.</exception>
    public KMeans(KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, nameof(options.K));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Initializations, 1, nameof(options.Initializations));
        if (!Enum.IsDefined(options.Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Metric, "Unknown distance metric.");
        }

        Options = options;
        _onlineRandom = new Random(options.Seed);
    }

    /// <summary>The settings this model was created with.</summary>
    public KMeansOptions Options { get; }

    /// <summary>True once centroids exist (after a fit, a first mini-batch, or <see cref="FromCentroids"/>).</summary>
    public bool IsInitialized => _centroids is not null;

    /// <summary>Dimension of the centroids; 0 before initialisation.</summary>
    public int Dimension => _centroids?[0].Length ?? 0;

    /// <summary>
    /// Restores a model from stored centroids (e.g. a tenant's prototypes) so that it can take further
    /// <see cref="MiniBatchUpdate"/> calls.
    /// </summary>
    /// <param name="options">Settings; <see cref="KMeansOptions.K"/> must equal the number of centroids.</param>
    /// <param name="centroids">Centroids, all of one dimension; copied (and normalised under cosine).</param>
    /// <param name="counts">
    /// Points that have updated each centroid (learning rate 1/count). When omitted each centroid counts as one
    /// observation, like a k-means++ seed. A count of 0 marks a placeholder that the next batch re-seeds if none of
    /// its points lands there.
    /// </param>
    /// <exception cref="ArgumentException">Counts differ from K, dimensions differ, values are not finite, or a count is negative.</exception>
    public static KMeans FromCentroids(KMeansOptions options, IReadOnlyList<float[]> centroids, IReadOnlyList<long>? counts = null)
    {
        var model = new KMeans(options);
        var copies = model.Prepare(centroids, nameof(centroids), expectedDimension: 0);
        if (copies.Length != options.K)
        {
            throw new ArgumentException($"Expected K = {options.K} centroids, got {copies.Length}.", nameof(centroids));
        }

        if (counts is not null && counts.Count != options.K)
        {
            throw new ArgumentException($"Expected K = {options.K} counts, got {counts.Count}.", nameof(counts));
        }

        if (counts is not null && counts.Any(c => c < 0))
        {
            throw new ArgumentException("Counts must not be negative.", nameof(counts));
        }

        // Prepare shares the caller's arrays under Euclidean; the model must own its centroids.
        model._centroids = copies.Select(c => c.ToArray()).ToArray();
        model._counts = counts?.ToArray() ?? SeedCounts(options.K);
        return model;
    }

    /// <summary>A copy of the centroids.</summary>
    /// <exception cref="InvalidOperationException">The model has no centroids yet.</exception>
    public float[][] GetCentroids() => CopyOf(RequireCentroids());

    /// <summary>A copy of the per-centroid update counts (learning rate 1/count in mini-batch steps).</summary>
    public long[] GetCounts() => (long[])_counts.Clone();

    /// <summary>
    /// Full fit: the best of <see cref="KMeansOptions.Initializations"/> k-means++ seedings on all points, then Lloyd iterations until no assignment changes or
    /// <see cref="KMeansOptions.MaxIterations"/>. Replaces the model's centroids and counts.
    /// </summary>
    /// <param name="points">At least K vectors of one dimension.</param>
    /// <exception cref="ArgumentException">Fewer points than K, mixed dimensions, or non-finite values.</exception>
    public KMeansResult Fit(IReadOnlyList<float[]> points)
    {
        var data = PrepareForFit(points);
        var random = new Random(Options.Seed);
        var centroids = Seed(data, Enumerable.Range(0, data.Length).ToArray(), random);

        var assignments = new int[data.Length];
        Array.Fill(assignments, -1);
        var squared = new float[data.Length];
        var iterations = 0;
        var converged = false;
        while (iterations < Options.MaxIterations)
        {
            iterations++;
            if (!AssignAll(data, centroids, assignments, squared))
            {
                converged = true;
                break;
            }

            var sizes = ReseedEmpty(data, centroids, assignments, squared, priorCounts: null);
            UpdateMeans(data, centroids, assignments, sizes);
        }

        if (!converged)
        {
            // The last update moved the centroids; reassign so the result is self-consistent.
            AssignAll(data, centroids, assignments, squared);
        }

        _centroids = centroids;
        _counts = Sizes(assignments, Options.K).Select(s => (long)s).ToArray();
        return Result(centroids, assignments, squared, iterations, converged);
    }

    /// <summary>
    /// Mini-batch fit (Sculley 2010): the best of <see cref="KMeansOptions.Initializations"/> k-means++ seedings on a random subsample of up to max(3 × BatchSize, K) points, then
    /// <see cref="KMeansOptions.MaxIterations"/> steps on batches of <see cref="KMeansOptions.BatchSize"/> points drawn
    /// with replacement, then one assignment pass over all points. Replaces the model's centroids and counts.
    /// </summary>
    /// <param name="points">At least K vectors of one dimension.</param>
    /// <exception cref="ArgumentException">Fewer points than K, mixed dimensions, or non-finite values.</exception>
    public KMeansResult FitMiniBatch(IReadOnlyList<float[]> points)
    {
        var data = PrepareForFit(points);
        var random = new Random(Options.Seed);
        var initSize = Math.Min(data.Length, Math.Max(3 * Options.BatchSize, Options.K));
        var centroids = Seed(data, SampleWithoutReplacement(data.Length, initSize, random), random);
        var counts = SeedCounts(Options.K);

        var batch = new float[Options.BatchSize][];
        for (var step = 0; step < Options.MaxIterations; step++)
        {
            for (var b = 0; b < batch.Length; b++)
            {
                batch[b] = data[random.Next(data.Length)];
            }

            Step(batch, centroids, counts);
        }

        var assignments = new int[data.Length];
        var squared = new float[data.Length];
        AssignAll(data, centroids, assignments, squared);
        var emptyBefore = Sizes(assignments, Options.K);
        var sizes = ReseedEmpty(data, centroids, assignments, squared, priorCounts: null);
        for (var j = 0; j < counts.Length; j++)
        {
            // A centroid re-seeded here sits on one point; the count of the cluster it lost would freeze it.
            if (emptyBefore[j] == 0)
            {
                counts[j] = sizes[j];
            }
        }

        _centroids = centroids;
        _counts = counts;
        return Result(centroids, assignments, squared, Options.MaxIterations, converged: false);
    }

    /// <summary>
    /// One mini-batch step on the current centroids: assign every batch point to its nearest centroid (before any
    /// moves), then move each assigned centroid towards the point with learning rate 1/count. A model without
    /// centroids is first seeded by k-means++ on this batch, which must then hold at least K points.
    /// </summary>
    /// <param name="batch">Vectors of the model's dimension; may be empty (no-op) once initialised.</param>
    /// <exception cref="ArgumentException">Wrong dimension, non-finite values, or a too-small first batch.</exception>
    public void MiniBatchUpdate(IReadOnlyList<float[]> batch)
    {
        var data = Prepare(batch, nameof(batch), expectedDimension: Dimension);
        if (_centroids is null)
        {
            if (data.Length < Options.K)
            {
                throw new ArgumentException(
                    $"The first batch of an empty model initialises it and needs at least K = {Options.K} points; got {data.Length}.",
                    nameof(batch));
            }

            _centroids = Seed(data, Enumerable.Range(0, data.Length).ToArray(), _onlineRandom);
            _counts = SeedCounts(Options.K);
        }

        Step(data, _centroids, _counts);
    }

    /// <summary>Assigns points to the current centroids without changing the model.</summary>
    /// <param name="points">Vectors of the model's dimension.</param>
    /// <exception cref="InvalidOperationException">The model has no centroids yet.</exception>
    public KMeansResult Assign(IReadOnlyList<float[]> points)
    {
        var centroids = RequireCentroids();
        var data = Prepare(points, nameof(points), expectedDimension: Dimension);
        var assignments = new int[data.Length];
        var squared = new float[data.Length];
        AssignAll(data, centroids, assignments, squared);
        return Result(centroids, assignments, squared, iterations: 0, converged: false);
    }

    /// <summary>
    /// A k-means++ seed is a real point, so it counts as one observation: the first point assigned to it moves it
    /// halfway instead of replacing it, and a seed that misses one batch is not mistaken for an empty cluster.
    /// </summary>
    private static long[] SeedCounts(int k)
    {
        var counts = new long[k];
        Array.Fill(counts, 1L);
        return counts;
    }

    private float[][] RequireCentroids() =>
        _centroids ?? throw new InvalidOperationException("The model has no centroids yet: fit it or give it a first mini-batch.");

    private float[][] PrepareForFit(IReadOnlyList<float[]> points)
    {
        var data = Prepare(points, nameof(points), expectedDimension: 0);
        if (data.Length < Options.K)
        {
            throw new ArgumentException(
                $"K = {Options.K} clusters need at least K points; got {data.Length}.", nameof(points));
        }

        return data;
    }

    /// <summary>
    /// Validates the vectors and returns them as the algorithm sees them: the caller's arrays (Euclidean, never
    /// written) or normalised copies (cosine). <paramref name="expectedDimension"/> 0 means "any, but all equal".
    /// </summary>
    private float[][] Prepare(IReadOnlyList<float[]> points, string paramName, int expectedDimension)
    {
        ArgumentNullException.ThrowIfNull(points, paramName);
        if (points.Count == 0 && expectedDimension == 0)
        {
            throw new ArgumentException("At least one vector is required.", paramName);
        }

        var data = new float[points.Count][];
        for (var i = 0; i < data.Length; i++)
        {
            var point = points[i] ?? throw new ArgumentException($"Vector {i} is null.", paramName);
            var dimension = expectedDimension > 0 ? expectedDimension : data[0]?.Length ?? point.Length;
            if (point.Length == 0 || point.Length != dimension)
            {
                throw new ArgumentException(
                    $"Vector {i} has dimension {point.Length}; expected {dimension} (and at least 1).",
                    paramName);
            }

            if (!VectorMath.AllFinite(point))
            {
                throw new ArgumentException($"Vector {i} contains NaN or infinity.", paramName);
            }

            if (Options.Metric == DistanceMetric.Cosine)
            {
                point = point.ToArray();
                VectorMath.NormalizeInPlace(point);
            }

            data[i] = point;
        }

        return data;
    }

    /// <summary>
    /// Best of <see cref="KMeansOptions.Initializations"/> k-means++ seedings by potential (sum of squared distances to
    /// the nearest seed). One seeding misses a cluster now and then; Lloyd and mini-batch steps cannot repair that
    /// (one cluster stays split, two stay merged), and a missed cluster shows up as a much larger potential.
    /// </summary>
    private float[][] Seed(float[][] data, int[] candidates, Random random)
    {
        var (best, bestPotential) = InitializePlusPlus(data, candidates, random);
        for (var attempt = 1; attempt < Options.Initializations; attempt++)
        {
            var (centroids, potential) = InitializePlusPlus(data, candidates, random);
            if (potential < bestPotential)
            {
                (best, bestPotential) = (centroids, potential);
            }
        }

        return best;
    }

    /// <summary>
    /// k-means++ (Arthur &amp; Vassilvitskii 2007) with greedy local trials as in scikit-learn: each new centre is the
    /// best of 2 + ln K candidates drawn proportionally to squared distance, which avoids two centres in one cluster.
    /// </summary>
    private (float[][] Centroids, double Potential) InitializePlusPlus(float[][] data, int[] candidates, Random random)
    {
        var k = Options.K;
        var n = candidates.Length;
        var centroids = new float[k][];
        var first = candidates[random.Next(n)];
        centroids[0] = data[first].ToArray();

        var closest = new float[n];
        for (var i = 0; i < n; i++)
        {
            closest[i] = VectorMath.SquaredEuclidean(data[candidates[i]], centroids[0]);
        }

        var potential = Sum(closest);
        var trials = 2 + (int)Math.Log(k);
        var trial = new float[n];
        var bestTrial = new float[n];
        for (var c = 1; c < k; c++)
        {
            var bestIndex = -1;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                // All candidates on existing centres (duplicates): any point is as good as another.
                var pick = potential > 0 ? SampleProportional(closest, potential, random) : random.Next(n);
                var centre = data[candidates[pick]];
                for (var i = 0; i < n; i++)
                {
                    trial[i] = Math.Min(closest[i], VectorMath.SquaredEuclidean(data[candidates[i]], centre));
                }

                var trialPotential = Sum(trial);
                if (trialPotential < bestPotential)
                {
                    bestIndex = pick;
                    bestPotential = trialPotential;
                    (trial, bestTrial) = (bestTrial, trial);
                }
            }

            centroids[c] = data[candidates[bestIndex]].ToArray();
            (closest, bestTrial) = (bestTrial, closest);
            potential = bestPotential;
        }

        return (centroids, potential);
    }

    private static int SampleProportional(float[] weights, double total, Random random)
    {
        var target = random.NextDouble() * total;
        var cumulative = 0.0;
        var last = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0f)
            {
                continue;
            }

            cumulative += weights[i];
            last = i;
            if (cumulative > target)
            {
                return i;
            }
        }

        return last; // rounding left target at the very end
    }

    private static int[] SampleWithoutReplacement(int n, int count, Random random)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return indices[..count];
    }

    /// <summary>Nearest centroid (squared Euclidean; equivalent to cosine on unit vectors) for every point; true if any changed.</summary>
    private static bool AssignAll(float[][] data, float[][] centroids, int[] assignments, float[] squared)
    {
        var changed = false;
        for (var i = 0; i < data.Length; i++)
        {
            var best = 0;
            var bestDistance = VectorMath.SquaredEuclidean(data[i], centroids[0]);
            for (var j = 1; j < centroids.Length; j++)
            {
                var distance = VectorMath.SquaredEuclidean(data[i], centroids[j]);
                if (distance < bestDistance)
                {
                    best = j;
                    bestDistance = distance;
                }
            }

            changed |= assignments[i] != best;
            assignments[i] = best;
            squared[i] = bestDistance;
        }

        return changed;
    }

    /// <summary>
    /// Gives every empty cluster the farthest point from its own centroid, taken only from clusters that keep a
    /// member. <paramref name="priorCounts"/> (mini-batch) counts earlier members too, so only centroids that were
    /// never updated count as empty. Returns the cluster sizes within <paramref name="data"/> after re-seeding.
    /// </summary>
    private static int[] ReseedEmpty(float[][] data, float[][] centroids, int[] assignments, float[] squared, long[]? priorCounts)
    {
        var sizes = Sizes(assignments, centroids.Length);
        long Total(int j) => sizes[j] + (priorCounts?[j] ?? 0);

        var empty = Enumerable.Range(0, centroids.Length).Where(j => Total(j) == 0).ToArray();
        if (empty.Length == 0)
        {
            return sizes;
        }

        var farthestFirst = Enumerable.Range(0, data.Length).OrderByDescending(i => squared[i]).ThenBy(i => i).ToArray();
        var next = 0;
        foreach (var j in empty)
        {
            while (next < farthestFirst.Length && Total(assignments[farthestFirst[next]]) <= 1)
            {
                next++;
            }

            // A point already on its centroid would only duplicate that centroid.
            if (next == farthestFirst.Length || squared[farthestFirst[next]] == 0f)
            {
                break;
            }

            var i = farthestFirst[next++];
            sizes[assignments[i]]--;
            assignments[i] = j;
            sizes[j]++;
            squared[i] = 0f;
            centroids[j] = data[i].ToArray();
        }

        return sizes;
    }

    private void UpdateMeans(float[][] data, float[][] centroids, int[] assignments, int[] sizes)
    {
        var sums = new float[centroids.Length][];
        for (var i = 0; i < data.Length; i++)
        {
            var j = assignments[i];
            if (sums[j] is null)
            {
                sums[j] = data[i].ToArray();
            }
            else
            {
                TensorPrimitives.Add(sums[j], data[i], sums[j]);
            }
        }

        for (var j = 0; j < centroids.Length; j++)
        {
            if (sizes[j] == 0)
            {
                continue; // could not be re-seeded (duplicate points); keep the old centroid
            }

            TensorPrimitives.Divide(sums[j], sizes[j], sums[j]);
            if (Options.Metric == DistanceMetric.Cosine)
            {
                VectorMath.NormalizeInPlace(sums[j]);
            }

            centroids[j] = sums[j];
        }
    }

    /// <summary>
    /// Sculley's step: cache every point's nearest centroid first, re-seed never-updated centroids, then for each point
    /// increment its centroid's count and move the centroid by (x − c)/count.
    /// </summary>
    private void Step(float[][] batch, float[][] centroids, long[] counts)
    {
        if (batch.Length == 0)
        {
            return;
        }

        var assignments = new int[batch.Length];
        var squared = new float[batch.Length];
        AssignAll(batch, centroids, assignments, squared);
        ReseedEmpty(batch, centroids, assignments, squared, counts);

        var touched = new bool[centroids.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var j = assignments[i];
            counts[j]++;
            TensorPrimitives.Lerp(centroids[j], batch[i], 1f / counts[j], centroids[j]);
            touched[j] = true;
        }

        if (Options.Metric == DistanceMetric.Cosine)
        {
            for (var j = 0; j < centroids.Length; j++)
            {
                if (touched[j])
                {
                    VectorMath.NormalizeInPlace(centroids[j]);
                }
            }
        }
    }

    private KMeansResult Result(float[][] centroids, int[] assignments, float[] squared, int iterations, bool converged)
    {
        // On unit vectors squared Euclidean distance is 2(1 − cos), so halve it to report cosine distance.
        var inertia = Sum(squared) * (Options.Metric == DistanceMetric.Cosine ? 0.5 : 1.0);
        return new KMeansResult(CopyOf(centroids), assignments, inertia, iterations, converged);
    }

    private static int[] Sizes(int[] assignments, int k)
    {
        var sizes = new int[k];
        foreach (var j in assignments)
        {
            sizes[j]++;
        }

        return sizes;
    }

    private static double Sum(float[] values)
    {
        var total = 0.0;
        foreach (var v in values)
        {
            total += v;
        }

        return total;
    }

    private static float[][] CopyOf(float[][] vectors) => vectors.Select(v => v.ToArray()).ToArray();
}

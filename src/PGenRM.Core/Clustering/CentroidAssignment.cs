namespace PGenRM.Core.Clustering;

/// <summary>
/// Places a vector on its nearest centroid, with hysteresis so that a vector near a boundary (a user whose posterior
/// moves a little with each feedback) does not flap between prototypes.
/// </summary>
public static class CentroidAssignment
{
    /// <summary>Finds the closest centroid. Ties go to the lower index.</summary>
    /// <param name="vector">The vector to place.</param>
    /// <param name="centroids">Candidate centroids, all of the vector's dimension; at least one.</param>
    /// <param name="metric">Euclidean (default) or cosine; the returned distance is in that metric.</param>
    /// <exception cref="ArgumentException">No centroids, or a centroid of another dimension.</exception>
    public static NearestCentroid Nearest(
        ReadOnlySpan<float> vector, IReadOnlyList<float[]> centroids, DistanceMetric metric = DistanceMetric.Euclidean)
    {
        var (index, distance) = NearestExcept(vector, centroids, metric, excluded: -1);
        return new NearestCentroid(index, distance);
    }

    /// <summary>
    /// Whether a vector now at centroid <paramref name="currentIndex"/> should move: only when the best other centroid
    /// is closer than the current one by the relative <paramref name="margin"/>, i.e. its distance is below
    /// (1 − margin) × the current distance. A <paramref name="currentIndex"/> outside the list (−1 for "none yet",
    /// or a centroid removed by a merge) always moves.
    /// </summary>
    /// <param name="currentIndex">The centroid the vector is assigned to now.</param>
    /// <param name="vector">The vector to place.</param>
    /// <param name="centroids">Candidate centroids; at least one.</param>
    /// <param name="margin">Relative margin in [0, 1), e.g. 0.05 for 5%; 0 moves on any strict improvement.</param>
    /// <param name="metric">Euclidean (default) or cosine.</param>
    public static bool ShouldMove(
        int currentIndex,
        ReadOnlySpan<float> vector,
        IReadOnlyList<float[]> centroids,
        float margin,
        DistanceMetric metric = DistanceMetric.Euclidean) =>
        Reassign(currentIndex, vector, centroids, margin, metric) != currentIndex;

    /// <summary>
    /// The centroid the vector should be at after applying the hysteresis rule of <see cref="ShouldMove"/>:
    /// <paramref name="currentIndex"/> when it stays, otherwise the nearest other centroid.
    /// </summary>
    /// <inheritdoc cref="ShouldMove" path="/param"/>
    public static int Reassign(
        int currentIndex,
        ReadOnlySpan<float> vector,
        IReadOnlyList<float[]> centroids,
        float margin,
        DistanceMetric metric = DistanceMetric.Euclidean)
    {
        if (!(margin >= 0f && margin < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be in [0, 1).");
        }

        ArgumentNullException.ThrowIfNull(centroids);
        if (currentIndex < 0 || currentIndex >= centroids.Count)
        {
            return NearestExcept(vector, centroids, metric, excluded: -1).Index;
        }

        var current = Validate(vector, centroids[currentIndex], currentIndex);
        var currentDistance = VectorMath.Distance(vector, current, metric);
        if (centroids.Count == 1)
        {
            return currentIndex;
        }

        var (other, otherDistance) = NearestExcept(vector, centroids, metric, excluded: currentIndex);
        return otherDistance < (1f - margin) * currentDistance ? other : currentIndex;
    }

    private static (int Index, float Distance) NearestExcept(
        ReadOnlySpan<float> vector, IReadOnlyList<float[]> centroids, DistanceMetric metric, int excluded)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        if (centroids.Count == 0)
        {
            throw new ArgumentException("At least one centroid is required.", nameof(centroids));
        }

        var best = -1;
        var bestDistance = float.PositiveInfinity;
        for (var j = 0; j < centroids.Count; j++)
        {
            if (j == excluded)
            {
                continue;
            }

            var distance = VectorMath.Distance(vector, Validate(vector, centroids[j], j), metric);
            if (best < 0 || distance < bestDistance)
            {
                best = j;
                bestDistance = distance;
            }
        }

        return (best, bestDistance);
    }

    private static float[] Validate(ReadOnlySpan<float> vector, float[]? centroid, int index)
    {
        if (centroid is null)
        {
            throw new ArgumentException($"Centroid {index} is null.", nameof(vector));
        }

        if (centroid.Length != vector.Length)
        {
            throw new ArgumentException(
                $"Centroid {index} has dimension {centroid.Length}, the vector {vector.Length}.", nameof(vector));
        }

        return centroid;
    }
}

namespace PGenRM.Core.Clustering;

/// <summary>How vectors are compared when clustering and when placing a vector on a centroid.</summary>
public enum DistanceMetric
{
    /// <summary>Euclidean distance; inertia is the sum of squared distances.</summary>
    Euclidean = 0,

    /// <summary>
    /// Cosine distance (1 − cosine similarity). k-means normalises inputs and centroids to unit length, so only
    /// directions matter; inertia is the sum of cosine distances.
    /// </summary>
    Cosine = 1,
}

namespace PGenRM.Core.Clustering;

/// <summary>The centroid closest to a vector.</summary>
/// <param name="Index">Index of the centroid in the list that was searched.</param>
/// <param name="Distance">
/// Euclidean distance, or cosine distance (1 − cosine similarity, in [0, 2]) under <see cref="DistanceMetric.Cosine"/>.
/// Lower is closer under both metrics.
/// </param>
public readonly record struct NearestCentroid(int Index, float Distance);

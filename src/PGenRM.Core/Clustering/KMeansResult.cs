namespace PGenRM.Core.Clustering;

/// <summary>Outcome of a k-means fit or of assigning points to fixed centroids.</summary>
/// <param name="Centroids">One vector per cluster (unit length under <see cref="DistanceMetric.Cosine"/>); a copy the caller owns.</param>
/// <param name="Assignments">Cluster index of each input point, in input order.</param>
/// <param name="Inertia">
/// Sum over points of the squared Euclidean distance (<see cref="DistanceMetric.Euclidean"/>) or the cosine
/// distance (<see cref="DistanceMetric.Cosine"/>) to the assigned centroid.
/// </param>
/// <param name="Iterations">Lloyd iterations or mini-batch steps performed; 0 for a plain assignment.</param>
/// <param name="Converged">True when Lloyd iterations stopped because no assignment changed.</param>
public sealed record KMeansResult(float[][] Centroids, int[] Assignments, double Inertia, int Iterations, bool Converged);

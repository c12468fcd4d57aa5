namespace PGenRM.Core.Model;

/// <summary>One clustering of users into prototypes (<see cref="PrototypeShrinkage.Fit"/>).</summary>
/// <param name="Assignments">Prototype index per scheme, in input order.</param>
/// <param name="Centroids">Per prototype: the population plus its members' (weighted) mean deviation, shrunk by size.</param>
/// <param name="Kappa">κ = σ²within/τ²between of the shrinkage (0 = none, ∞ = every centroid at the population).</param>
/// <param name="Mass">Per prototype: the total weight of its members.</param>
/// <param name="Inertia">The k-means cosine inertia of the assignment (lower = tighter), to compare two assignments.</param>
public sealed record PrototypeFit(int[] Assignments, double[][] Centroids, double Kappa, double[] Mass, double Inertia);

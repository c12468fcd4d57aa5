using MathNet.Numerics.LinearAlgebra;

namespace PGenRM.Host.Api;

/// <summary>A 2-D map of a tenant's prototypes: the centroids projected on their first two principal components.</summary>
internal static class PrototypeMap
{
    /// <summary>Coordinates per centroid (PCA over the centroids, centred; fewer than two distinct centroids lie at the origin or on the x axis) and the share of variance each axis explains.</summary>
    public static (double[][] Points, double[] Explained) Project(IReadOnlyList<float[]> centroids)
    {
        int k = centroids.Count;
        if (k == 0)
        {
            return ([], [0, 0]);
        }

        int d = centroids[0].Length;
        if (d == 0 || centroids.Any(c => c.Length != d))
        {
            return (centroids.Select(_ => new double[2]).ToArray(), [0, 0]);
        }

        var x = Matrix<double>.Build.Dense(k, d, (i, j) => centroids[i][j]);
        var mean = x.ColumnSums() / k;
        for (int i = 0; i < k; i++)
        {
            x.SetRow(i, x.Row(i) - mean);
        }

        var svd = x.Svd(computeVectors: true);
        var s = svd.S;
        double total = s.Sum(v => v * v);
        var points = new double[k][];
        for (int i = 0; i < k; i++)
        {
            points[i] = new double[2];
            for (int a = 0; a < 2 && a < s.Count; a++)
            {
                points[i][a] = svd.U[i, a] * s[a];
            }
        }

        double[] explained = [s.Count > 0 && total > 0 ? s[0] * s[0] / total : 0, s.Count > 1 && total > 0 ? s[1] * s[1] / total : 0];
        return (points, explained);
    }
}

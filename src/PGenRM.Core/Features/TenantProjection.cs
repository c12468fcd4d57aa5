using System.Globalization;
using MathNet.Numerics.LinearAlgebra.Double;

namespace PGenRM.Core.Features;

/// <summary>
/// A residual basis learned from a tenant's own responses: the leading principal directions of the response embeddings
/// centred within their query, whitened so each coordinate has unit variance. A pair compares two responses to the same
/// query, so what separates them is exactly this within-query variation (on the DSP development data a register that the
/// generic residual basis, fitted on 72 generic texts, mostly misses: the raw embedding predicts the answer's domain at
/// ~40 %, the within-query centred one at ~53 %). Tenant-level data, not per user: every user's residual head
/// (<see cref="FeatureSpaceOptions.ResidualComponents"/> weights of its scheme) reads the same coordinates, so the user
/// state keeps its dimension.
/// </summary>
public static class TenantProjection
{
    /// <summary>
    /// Learns <paramref name="components"/> whitened directions from groups of response embeddings (one group per query;
    /// groups with fewer than two responses carry no within-query variation and are skipped).
    /// </summary>
    /// <returns>Rows of length equal to the embedding dimension; fewer rows when the data span fewer directions.</returns>
    public static float[][] Learn(IEnumerable<IReadOnlyList<float[]>> responsesPerQuery, int components)
    {
        ArgumentNullException.ThrowIfNull(responsesPerQuery);
        ArgumentOutOfRangeException.ThrowIfNegative(components);
        var centredRows = new List<double[]>();
        int dimension = 0;
        foreach (var group in responsesPerQuery)
        {
            if (group.Count < 2)
            {
                continue;
            }

            dimension = dimension == 0 ? group[0].Length : dimension;
            var mean = new double[dimension];
            foreach (var e in group)
            {
                if (e.Length != dimension)
                {
                    throw new ArgumentException($"Embeddings of different lengths ({e.Length} and {dimension}).", nameof(responsesPerQuery));
                }

                for (int i = 0; i < dimension; i++)
                {
                    mean[i] += e[i] / (double)group.Count;
                }
            }

            foreach (var e in group)
            {
                var centred = new double[dimension];
                for (int i = 0; i < dimension; i++)
                {
                    centred[i] = e[i] - mean[i];
                }

                centredRows.Add(centred);
            }
        }

        if (centredRows.Count == 0 || components == 0)
        {
            return [];
        }

        var x = DenseMatrix.OfRowArrays(centredRows);
        var covariance = x.TransposeThisAndMultiply(x) / centredRows.Count;
        var evd = covariance.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var order = Enumerable.Range(0, dimension).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var basis = new List<float[]>();
        foreach (int i in order.Take(components))
        {
            double variance = evd.EigenValues[i].Real;
            if (!(variance > 1e-10))
            {
                break;
            }

            var v = evd.EigenVectors.Column(i);
            // A deterministic sign: the largest-magnitude entry positive.
            int top = v.AbsoluteMaximumIndex();
            double sign = v[top] < 0 ? -1 : 1;
            double scale = sign / Math.Sqrt(variance);
            basis.Add(v.Select(x => (float)(x * scale)).ToArray());
        }

        return basis.ToArray();
    }

    /// <summary>A short stable id of a basis (part of the feature space's version: schemes are only comparable within one).</summary>
    public static string Id(IReadOnlyList<float[]> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        unchecked
        {
            uint hash = 2166136261;
            foreach (var row in basis)
            {
                foreach (float x in row)
                {
                    hash = (hash ^ BitConverter.SingleToUInt32Bits(x)) * 16777619;
                }
            }

            return hash.ToString("x8", CultureInfo.InvariantCulture);
        }
    }
}

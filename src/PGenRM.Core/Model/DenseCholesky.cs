using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// Cholesky factorisation of a small symmetric positive definite matrix in place (column-major, lower triangle), and
/// the triangular solves: what every Newton step of <see cref="BayesianLogistic"/> needs, without the allocations of a
/// general matrix library (two to four of them per step at d = 80). Columns are contiguous, so every inner loop is a
/// vectorised span operation.
/// </summary>
internal static class DenseCholesky
{
    /// <summary>
    /// Overwrites the lower triangle of the n×n column-major <paramref name="matrix"/> with its Cholesky factor L (A = L Lᵀ);
    /// the strict upper triangle is left as it was. Returns log|A| = 2 Σ log Lᵢᵢ.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is not positive definite.</exception>
    public static double Factor(Span<double> matrix, int n)
    {
        double logDet = 0;
        for (int j = 0; j < n; j++)
        {
            // Left-looking: column j (rows j..n) minus L[j,k]·column k for every earlier k.
            var column = matrix.Slice((j * n) + j, n - j);
            for (int k = 0; k < j; k++)
            {
                double ljk = matrix[(k * n) + j];
                if (ljk != 0)
                {
                    TensorPrimitives.MultiplyAdd(matrix.Slice((k * n) + j, n - j), -ljk, column, column);
                }
            }

            double pivot = column[0];
            if (!(pivot > 0) || double.IsNaN(pivot))
            {
                throw new ArgumentException("Matrix must be positive definite.", nameof(matrix));
            }

            double root = Math.Sqrt(pivot);
            column[0] = root;
            if (n - j > 1)
            {
                TensorPrimitives.Multiply(column[1..], 1 / root, column[1..]);
            }

            logDet += 2 * Math.Log(root);
        }

        return logDet;
    }

    /// <summary>Solves L Lᵀ x = b in place (<paramref name="vector"/> holds b, then x) with a factor from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> lower, int n, Span<double> vector)
    {
        ForwardSubstitute(lower, n, vector);
        for (int j = n - 1; j >= 0; j--)
        {
            double acc = vector[j];
            if (j + 1 < n)
            {
                acc -= TensorPrimitives.Dot(lower.Slice((j * n) + j + 1, n - j - 1), vector[(j + 1)..n]);
            }

            vector[j] = acc / lower[(j * n) + j];
        }
    }

    /// <summary>Solves L y = b in place.</summary>
    public static void ForwardSubstitute(ReadOnlySpan<double> lower, int n, Span<double> vector)
    {
        for (int j = 0; j < n; j++)
        {
            double yj = vector[j] / lower[(j * n) + j];
            vector[j] = yj;
            if (yj != 0 && j + 1 < n)
            {
                var rest = vector[(j + 1)..n];
                TensorPrimitives.MultiplyAdd(lower.Slice((j * n) + j + 1, n - j - 1), -yj, rest, rest);
            }
        }
    }

    /// <summary>Where column j of a packed lower triangle (columns j..n−1 stored one after another, rows j..n−1 each) starts.</summary>
    public static int PackedOffset(int j, int n) => (j * n) - (j * (j - 1) / 2);

    /// <summary>The lower triangle of the n×n column-major <paramref name="matrix"/>, packed column by column (n(n+1)/2 values).</summary>
    public static double[] PackLower(ReadOnlySpan<double> matrix, int n)
    {
        var packed = new double[n * (n + 1) / 2];
        for (int j = 0; j < n; j++)
        {
            matrix.Slice((j * n) + j, n - j).CopyTo(packed.AsSpan(PackedOffset(j, n)));
        }

        return packed;
    }

    /// <summary>The full column-major lower-triangular matrix (zeros above the diagonal) of a packed one.</summary>
    public static double[] UnpackLower(ReadOnlySpan<double> packed, int n)
    {
        var matrix = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            packed.Slice(PackedOffset(j, n), n - j).CopyTo(matrix.AsSpan((j * n) + j));
        }

        return matrix;
    }

    /// <summary>Solves L y = b in place for a packed lower factor.</summary>
    public static void ForwardSubstitutePacked(ReadOnlySpan<double> packed, int n, Span<double> vector)
    {
        for (int j = 0; j < n; j++)
        {
            int offset = PackedOffset(j, n);
            double yj = vector[j] / packed[offset];
            vector[j] = yj;
            if (yj != 0 && j + 1 < n)
            {
                var rest = vector[(j + 1)..n];
                TensorPrimitives.MultiplyAdd(packed.Slice(offset + 1, n - j - 1), -yj, rest, rest);
            }
        }
    }
}

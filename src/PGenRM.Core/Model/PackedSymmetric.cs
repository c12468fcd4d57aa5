namespace PGenRM.Core.Model;

/// <summary>
/// A symmetric d×d matrix as its upper triangle in float32 (d(d+1)/2 values, row by row): how a user's folded
/// precision is stored, half the size of the full matrix, so the state stays bounded (docs/STORAGE.md).
/// </summary>
public static class PackedSymmetric
{
    /// <summary>Values stored for a d×d matrix.</summary>
    public static int Length(int dimension) => dimension * (dimension + 1) / 2;

    /// <summary>The dimension whose packed length is <paramref name="length"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="length"/> is not d(d+1)/2 for any d.</exception>
    public static int Dimension(int length)
    {
        int d = (int)Math.Round((Math.Sqrt((8.0 * length) + 1) - 1) / 2);
        return Length(d) == length ? d : throw new ArgumentException($"{length} values are not the upper triangle of a square matrix.", nameof(length));
    }

    /// <summary>Packs a symmetric column-major matrix (only its upper triangle is read).</summary>
    public static float[] Pack(ReadOnlySpan<double> matrix, int dimension)
    {
        if (matrix.Length != dimension * dimension)
        {
            throw new ArgumentException($"Expected {dimension}×{dimension} values, got {matrix.Length}.", nameof(matrix));
        }

        var packed = new float[Length(dimension)];
        int k = 0;
        for (int i = 0; i < dimension; i++)
        {
            for (int j = i; j < dimension; j++)
            {
                packed[k++] = (float)matrix[(j * dimension) + i];
            }
        }

        return packed;
    }

    /// <summary>The full column-major matrix of a packed one.</summary>
    public static double[] Unpack(ReadOnlySpan<float> packed)
    {
        int d = Dimension(packed.Length);
        var matrix = new double[d * d];
        int k = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = packed[k++];
                matrix[(j * d) + i] = v;
                matrix[(i * d) + j] = v;
            }
        }

        return matrix;
    }
}

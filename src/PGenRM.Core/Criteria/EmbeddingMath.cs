using System.Numerics.Tensors;

namespace PGenRM.Core.Criteria;

/// <summary>Small vector helpers shared by the criteria bank and the scenario set.</summary>
internal static class EmbeddingMath
{
    /// <summary>Unit vector along the mean of <paramref name="rows"/>; zero if the mean is zero.</summary>
    public static float[] NormalizedMean(IEnumerable<float[]> rows, int dimension)
    {
        var mean = Mean(rows, dimension);
        NormalizeInPlace(mean);
        return mean;
    }

    /// <summary>The element-wise mean of <paramref name="rows"/>.</summary>
    public static float[] Mean(IEnumerable<float[]> rows, int dimension)
    {
        var sum = new float[dimension];
        var count = 0;
        foreach (var row in rows)
        {
            TensorPrimitives.Add(sum, row, sum);
            count++;
        }

        if (count > 0)
        {
            TensorPrimitives.Divide(sum, count, sum);
        }

        return sum;
    }

    /// <summary>Scales <paramref name="vector"/> to unit length; returns its original norm (0 leaves it unchanged).</summary>
    public static float NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return norm;
    }

    /// <summary>Cosine similarity, 0 when either vector is zero (<see cref="Model.VectorSimilarity.Cosine(ReadOnlySpan{float}, ReadOnlySpan{float})"/>).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Model.VectorSimilarity.Cosine(a, b);

    /// <summary>Throws when an embedding does not have the expected length.</summary>
    public static void RequireDimension(ReadOnlySpan<float> embedding, int dimension, string paramName)
    {
        if (embedding.Length != dimension)
        {
            throw new ArgumentException($"Expected an embedding of length {dimension}, got {embedding.Length}.", paramName);
        }
    }
}

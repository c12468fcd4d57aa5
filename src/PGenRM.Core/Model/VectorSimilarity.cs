using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// Cosine similarity, the one definition every part uses (features, subsample relevance, neighbour and judge ranking):
/// <see cref="TensorPrimitives.CosineSimilarity(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, and 0 where it is
/// undefined (an empty vector, lengths that differ, a zero vector, a non-finite value): no evidence either way.
/// </summary>
public static class VectorSimilarity
{
    /// <summary>The cosine of <paramref name="a"/> and <paramref name="b"/>, or 0 where undefined.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length == 0 || a.Length != b.Length)
        {
            return 0;
        }

        double cosine = TensorPrimitives.CosineSimilarity(a, b);
        return double.IsFinite(cosine) ? cosine : 0;
    }

    /// <summary>The cosine of <paramref name="a"/> and <paramref name="b"/>, or 0 where undefined.</summary>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 0 || a.Length != b.Length)
        {
            return 0;
        }

        double cosine = TensorPrimitives.CosineSimilarity(a, b);
        return double.IsFinite(cosine) ? cosine : 0;
    }
}

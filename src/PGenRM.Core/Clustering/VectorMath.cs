using System.Numerics.Tensors;

namespace PGenRM.Core.Clustering;

/// <summary>Small vector helpers shared by the clustering types (TensorPrimitives underneath).</summary>
internal static class VectorMath
{
    public static float SquaredEuclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    /// <summary>1 − cosine similarity; a zero vector counts as orthogonal to everything (distance 1) rather than NaN.</summary>
    public static float CosineDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var normA = TensorPrimitives.Norm(a);
        var normB = TensorPrimitives.Norm(b);
        if (normA == 0f || normB == 0f)
        {
            return 1f;
        }

        var similarity = Math.Clamp(TensorPrimitives.Dot(a, b) / (normA * normB), -1f, 1f);
        return 1f - similarity;
    }

    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, DistanceMetric metric) =>
        metric == DistanceMetric.Cosine ? CosineDistance(a, b) : TensorPrimitives.Distance(a, b);

    /// <summary>Scales to unit length; a zero vector stays zero (it has no direction to keep).</summary>
    public static void NormalizeInPlace(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
    }

    public static bool AllFinite(ReadOnlySpan<float> v)
    {
        foreach (var x in v)
        {
            if (!float.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }
}

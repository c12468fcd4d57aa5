using System.Numerics.Tensors;

namespace PGenRM.Grains;

/// <summary>Similarity of two users' neighbour keys (judgment sketches), as the prototype level ranks neighbours.</summary>
internal static class NeighbourKeys
{
    /// <summary>Cosine of the two keys; 0 when either is empty, the lengths differ or a key is zero (as NeighbourPool.Nearest).</summary>
    public static double Similarity(float[] a, float[] b)
    {
        if (a.Length == 0 || a.Length != b.Length)
        {
            return 0;
        }

        double similarity = TensorPrimitives.CosineSimilarity(a, b);
        return double.IsNaN(similarity) ? 0 : similarity;
    }
}

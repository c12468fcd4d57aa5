using PGenRM.Core.Model;

namespace PGenRM.Grains;

/// <summary>Similarity of two users' neighbour keys (judgment sketches), as the prototype level ranks neighbours.</summary>
internal static class NeighbourKeys
{
    /// <summary>Cosine of the two keys; 0 when either is empty, the lengths differ or a key is zero (<see cref="VectorSimilarity"/>).</summary>
    public static double Similarity(float[] a, float[] b) => VectorSimilarity.Cosine(a, b);
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class VectorSimilarityTests
{
    [Fact]
    public void Cosine_IsTheCosine()
    {
        Assert.Equal(1.0, VectorSimilarity.Cosine([1f, 2f], [2f, 4f]), 6);
        Assert.Equal(-1.0, VectorSimilarity.Cosine([1.0, 0.0], [-3.0, 0.0]), 12);
        Assert.Equal(0.0, VectorSimilarity.Cosine([1f, 0f], [0f, 5f]), 6);
        Assert.Equal(1 / Math.Sqrt(2), VectorSimilarity.Cosine([1.0, 1.0], [1.0, 0.0]), 12);
    }

    [Fact]
    public void Cosine_IsZeroWhereUndefined()
    {
        Assert.Equal(0, VectorSimilarity.Cosine([0f, 0f], [1f, 2f]));
        Assert.Equal(0, VectorSimilarity.Cosine([1.0, 2.0], [0.0, 0.0]));
        Assert.Equal(0, VectorSimilarity.Cosine(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty));
        Assert.Equal(0, VectorSimilarity.Cosine([1f, 2f], [1f, 2f, 3f]));
        Assert.Equal(0, VectorSimilarity.Cosine([double.NaN, 1.0], [1.0, 1.0]));
    }
}

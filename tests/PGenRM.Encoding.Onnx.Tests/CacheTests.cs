namespace PGenRM.Encoding.Onnx.Tests;

[Collection(EncoderCollection.Name)]
public sealed class CacheTests(EncoderFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OnnxSentenceEncoder Encoder => fixture.CachedEncoder;

    [Fact]
    public async Task SecondCall_IsACacheHit_WithTheSameVector()
    {
        // arrange (tests in this collection run one at a time, so counter deltas are exact)
        const string text = "Cache me if you can, second call edition.";
        var hits = Encoder.CacheHits;
        var misses = Encoder.CacheMisses;

        // act
        var first = await Encoder.EncodeAsync(text, Ct);
        var second = await Encoder.EncodeAsync(text, Ct);

        // assert
        Assert.Equal(misses + 1, Encoder.CacheMisses);
        Assert.Equal(hits + 1, Encoder.CacheHits);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ReturnedArrays_AreCopies_SoCallersCannotCorruptTheCache()
    {
        // arrange
        const string text = "Mutating my result must not poison the cache.";
        var first = await Encoder.EncodeAsync(text, Ct);
        var pristine = (float[])first.Clone();

        // act: vandalise both the computed array and a cached copy.
        Array.Fill(first, 42f);
        var second = await Encoder.EncodeAsync(text, Ct);
        Array.Fill(second, -1f);
        var third = (await Encoder.EncodeBatchAsync([text], Ct))[0];

        // assert
        Assert.NotSame(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(pristine, third);
    }

    [Fact]
    public async Task EncodeBatchAsync_ServesCachedTextsAndComputesTheRest()
    {
        // arrange
        var hits = Encoder.CacheHits;
        var misses = Encoder.CacheMisses;
        var warm = await Encoder.EncodeAsync("Already cached sentence for the batch test.", Ct);

        // act
        var batch = await Encoder.EncodeBatchAsync(
            ["Already cached sentence for the batch test.", "A brand new sentence for the batch test."], Ct);
        var again = await Encoder.EncodeAsync("A brand new sentence for the batch test.", Ct);

        // assert: warm-up miss, batch (1 hit + 1 miss), last call hit.
        Assert.Equal(misses + 2, Encoder.CacheMisses);
        Assert.Equal(hits + 2, Encoder.CacheHits);
        Assert.Equal(warm, batch[0]);
        Assert.Equal(batch[1], again);
    }

    [Fact]
    public async Task CachedVector_MatchesUncachedEncoder()
    {
        const string text = "The cache must serve exactly what the model computes.";
        await Encoder.EncodeAsync(text, Ct);

        var cached = await Encoder.EncodeAsync(text, Ct);
        var computed = await fixture.Encoder.EncodeAsync(text, Ct);

        Assert.True(Vectors.Cosine(cached, computed) >= 0.9999);
    }
}

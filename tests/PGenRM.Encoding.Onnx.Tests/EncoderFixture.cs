namespace PGenRM.Encoding.Onnx.Tests;

/// <summary>
/// Loads the model once for all encoder tests (about 1 s each). <see cref="Encoder"/> has the cache off, so every call
/// really runs the model (batched vs. unbatched comparisons would otherwise compare cache copies);
/// <see cref="CachedEncoder"/> has it on for the cache tests.
/// </summary>
public sealed class EncoderFixture : IDisposable
{
    public EncoderFixture()
    {
        Encoder = new OnnxSentenceEncoder(new OnnxEncoderOptions { CacheCapacity = 0 });
        CachedEncoder = new OnnxSentenceEncoder(new OnnxEncoderOptions { CacheCapacity = 1000 });
    }

    public OnnxSentenceEncoder Encoder { get; }

    public OnnxSentenceEncoder CachedEncoder { get; }

    public void Dispose()
    {
        Encoder.Dispose();
        CachedEncoder.Dispose();
    }
}

namespace PGenRM.Encoding.Onnx;

/// <summary>Cache key: the model id (so a model bump never serves stale vectors) and 128 bits of the text's SHA-256.</summary>
internal readonly record struct EmbeddingCacheKey(string ModelId, UInt128 TextHash);

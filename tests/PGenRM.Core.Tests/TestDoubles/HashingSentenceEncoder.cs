using System.Numerics.Tensors;
using PGenRM.Core.Encoding;

namespace PGenRM.Core.Tests.TestDoubles;

/// <summary>
/// TEST DOUBLE for logic tests only: a deterministic bag-of-words encoder that hashes lower-cased word unigrams
/// and bigrams (FNV-1a, signed) into <see cref="Dimension"/> buckets and L2-normalises the result. It shares
/// vocabulary, not meaning, so tests that use it check arithmetic and wiring, never semantic quality; real
/// MiniLM tests belong with the ONNX encoder.
/// </summary>
internal sealed class HashingSentenceEncoder(int dimension = 384) : ISentenceEncoder
{
    public string ModelId => $"test-hashing-bow-{Dimension}";

    public int Dimension { get; } = dimension;

    public int BatchCalls { get; private set; }

    public ValueTask<float[]> EncodeAsync(string text, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Encode(text));

    public ValueTask<float[][]> EncodeBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BatchCalls++;
        return ValueTask.FromResult(texts.Select(Encode).ToArray());
    }

    public float[] Encode(string text)
    {
        var vector = new float[Dimension];

        // A constant bucket keeps the empty text a unit vector, as a real encoder never returns zero.
        vector[0] = 0.5f;
        var previous = 0u;
        foreach (var token in Tokens(text))
        {
            var hash = Fnv(token, 2166136261u);
            Add(vector, hash);
            if (previous != 0)
            {
                Add(vector, (hash * 16777619u) ^ previous);
            }

            previous = hash;
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private void Add(float[] vector, uint hash) =>
        vector[1 + (int)(hash % (uint)(Dimension - 1))] += (hash & 0x8000_0000u) != 0 ? 1f : -1f;

    private static IEnumerable<string> Tokens(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static uint Fnv(string token, uint seed)
    {
        var hash = seed;
        foreach (var ch in token)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return hash;
    }
}

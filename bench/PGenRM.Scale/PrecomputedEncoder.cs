using PGenRM.Core.Encoding;

namespace PGenRM.Scale;

/// <summary>
/// The Azurite mode's encoder: a fixed pseudo-random unit vector per text (seeded by the text's hash), so the run
/// measures the feedback path and storage, not MiniLM (whose speed docs/BENCHMARKS.md measures on its own). The same
/// text always gets the same vector, as from a warm embedding cache.
/// </summary>
internal sealed class PrecomputedEncoder : ISentenceEncoder
{
    public string ModelId => "precomputed-unit-vectors/384";

    public int Dimension => 384;

    public ValueTask<float[]> EncodeAsync(string text, CancellationToken cancellationToken = default) => ValueTask.FromResult(Vector(text));

    public ValueTask<float[][]> EncodeBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(texts.Select(Vector).ToArray());

    private float[] Vector(string text)
    {
        var random = new Random(Fnv1a(text));
        var v = new float[Dimension];
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            norm += v[i] * v[i];
        }

        float scale = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < v.Length; i++)
        {
            v[i] *= scale;
        }

        return v;
    }

    /// <summary>A stable 32-bit FNV-1a hash of the text's UTF-16 code units (string.GetHashCode varies per process).</summary>
    private static int Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return unchecked((int)hash);
    }
}

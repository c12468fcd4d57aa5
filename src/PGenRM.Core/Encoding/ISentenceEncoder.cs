namespace PGenRM.Core.Encoding;

/// <summary>
/// Turns text into an L2-normalised sentence embedding. Implementations are thread-safe and may batch
/// concurrent callers; the same text always maps to the same vector (up to float noise across batches).
/// </summary>
public interface ISentenceEncoder
{
    /// <summary>Identifies the model and its version; embedding caches are keyed by it.</summary>
    string ModelId { get; }

    /// <summary>Length of every returned vector (384 for all-MiniLM-L6-v2).</summary>
    int Dimension { get; }

    /// <summary>Encodes one text. The returned array is owned by the caller and must not be mutated by a cache.</summary>
    ValueTask<float[]> EncodeAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Encodes many texts; the result is in input order.</summary>
    ValueTask<float[][]> EncodeBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}

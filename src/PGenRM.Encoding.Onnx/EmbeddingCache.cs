using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using TextEncoding = System.Text.Encoding;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Bounded, thread-safe LRU cache of embeddings keyed by (model id, SHA-256 of the UTF-8 text). It stores private copies and
/// hands out copies, so no caller can corrupt an entry. Keys hold a 128-bit hash, not the text, to bound memory per entry.
/// </summary>
internal sealed class EmbeddingCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EmbeddingCacheKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _lru = new(); // most recently used first
    private long _hits;
    private long _misses;

    public EmbeddingCache(string modelId, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ModelId = modelId;
        Capacity = capacity;
        _map = new Dictionary<EmbeddingCacheKey, LinkedListNode<Entry>>(Math.Min(capacity, 1024));
    }

    public string ModelId { get; }

    public int Capacity { get; }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _map.Count;
            }
        }
    }

    public EmbeddingCacheKey KeyFor(string text)
    {
        // SHA-256 rather than a fast non-cryptographic hash: texts may come from users, and a crafted collision would
        // hand one user's text another text's embedding.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = TextEncoding.UTF8.GetMaxByteCount(text.Length);
        if (maxBytes <= 1024)
        {
            Span<byte> utf8 = stackalloc byte[maxBytes];
            var written = TextEncoding.UTF8.GetBytes(text, utf8);
            SHA256.HashData(utf8[..written], hash);
        }
        else
        {
            var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
            try
            {
                var written = TextEncoding.UTF8.GetBytes(text, rented);
                SHA256.HashData(rented.AsSpan(0, written), hash);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return new EmbeddingCacheKey(ModelId, BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }

    /// <summary>Returns a copy of the cached embedding, counting a hit or a miss.</summary>
    public bool TryGet(in EmbeddingCacheKey key, out float[] embedding)
    {
        if (Capacity > 0)
        {
            lock (_lock)
            {
                if (_map.TryGetValue(key, out var node))
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    embedding = node.Value.Embedding.ToArray();
                    Interlocked.Increment(ref _hits);
                    EncoderMetrics.CacheHit();
                    return true;
                }
            }
        }

        Interlocked.Increment(ref _misses);
        EncoderMetrics.CacheMiss();
        embedding = [];
        return false;
    }

    /// <summary>Stores a private copy of <paramref name="embedding"/>, evicting the least recently used entry when full.</summary>
    public void Add(in EmbeddingCacheKey key, ReadOnlySpan<float> embedding)
    {
        if (Capacity == 0)
        {
            return;
        }

        var copy = embedding.ToArray();
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                existing.Value = new Entry(key, copy);
                _lru.Remove(existing);
                _lru.AddFirst(existing);
                return;
            }

            if (_map.Count >= Capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _map.Remove(last.Value.Key);
            }

            _map[key] = _lru.AddFirst(new Entry(key, copy));
        }
    }

    private readonly record struct Entry(EmbeddingCacheKey Key, float[] Embedding);
}

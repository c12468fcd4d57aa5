using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;
using TextEncoding = System.Text.Encoding;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Bounded, thread-safe cache of embeddings keyed by (model id, SHA-256 of the UTF-8 text), on <see cref="MemoryCache"/>
/// (lock-free reads; was an LRU behind one global lock that every lookup of every encoder call took). At most
/// <see cref="Capacity"/> entries: an entry past it is not stored and the cache compacts (least recently used first)
/// in the background. It stores private copies and hands out copies, so no caller can corrupt an entry. Keys hold a
/// 128-bit hash, not the text, to bound memory per entry. Hits and misses also go to <see cref="EncoderMetrics"/>.
/// </summary>
internal sealed class EmbeddingCache : IDisposable
{
    private readonly MemoryCacheEntryOptions _counted;
    private long _evictions;
    private readonly MemoryCache? _cache;
    private long _hits;
    private long _misses;

    public EmbeddingCache(string modelId, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ModelId = modelId;
        Capacity = capacity;
        // Each entry counts 1 toward SizeLimit; compaction frees a tenth of the entries when the limit is reached.
        _cache = capacity > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.1 }) : null;
        _counted = new MemoryCacheEntryOptions { Size = 1 }.RegisterPostEvictionCallback(
            static (_, _, reason, state) =>
            {
                if (reason == EvictionReason.Capacity)
                {
                    Interlocked.Increment(ref ((EmbeddingCache)state!)._evictions);
                }
            },
            this);
    }

    public string ModelId { get; }

    public int Capacity { get; }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _cache?.Count ?? 0;

    /// <summary>Embeddings dropped to make room.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public void Dispose() => _cache?.Dispose();

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
        if (_cache is not null && _cache.TryGetValue(key, out float[]? stored) && stored is not null)
        {
            embedding = stored.ToArray();
            Interlocked.Increment(ref _hits);
            EncoderMetrics.CacheHit();
            return true;
        }

        Interlocked.Increment(ref _misses);
        EncoderMetrics.CacheMiss();
        embedding = [];
        return false;
    }

    /// <summary>Stores a private copy of <paramref name="embedding"/> (replacing the entry of the same key).</summary>
    public void Add(in EmbeddingCacheKey key, ReadOnlySpan<float> embedding) => _cache?.Set(key, embedding.ToArray(), _counted);
}

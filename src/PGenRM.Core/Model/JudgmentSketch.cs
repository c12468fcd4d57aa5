using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// A fixed-length random sketch of a user's judgments: Σ sign·h(item) over the items the user judged, with h(item)
/// a seeded Gaussian vector derived from the item id. The cosine of two sketches approximates how often the two
/// users agreed on the items both judged, so "similar users" can be found from vectors a grain keeps up to date
/// with one addition per feedback, without reading anyone's history.
/// </summary>
public static class JudgmentSketch
{
    /// <summary>Default sketch length: noise in the cosine falls as 1/√length.</summary>
    public const int DefaultLength = 256;

    /// <summary>Most directions kept in the cache (2 KB each at the default length, so about 8 MB).</summary>
    internal const int CacheCapacity = 4096;

    // Regenerating a direction draws `length` Gaussians; a feedback needs two and a sketch rebuild one per item.
    // Popular items recur, so recent directions are kept; when the cache is full it is emptied and refilled
    // (bounded memory, no bookkeeping of recency).
    private static readonly ConcurrentDictionary<(string ItemId, int Length), double[]> Cache = new();

    /// <summary>The item's random direction h(item) (unit variance per component, deterministic in the id).</summary>
    /// <returns>A fresh array the caller may modify.</returns>
    public static double[] Direction(string itemId, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return (double[])Shared(itemId, length).Clone();
    }

    /// <summary>Adds one judgment (sign in [−1, 1]) of <paramref name="itemId"/> to <paramref name="sketch"/>.</summary>
    public static void Add(double[] sketch, string itemId, double sign)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentNullException.ThrowIfNull(itemId);
        var h = Shared(itemId, sketch.Length);
        for (int i = 0; i < sketch.Length; i++)
        {
            sketch[i] += sign * h[i];
        }
    }

    /// <summary>Number of directions currently cached (for tests).</summary>
    internal static int CachedCount => Cache.Count;

    /// <summary>The cached direction; callers must not modify it.</summary>
    private static double[] Shared(string itemId, int length)
    {
        var key = (itemId, length);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var h = Generate(itemId, length);
        if (Cache.Count >= CacheCapacity)
        {
            Cache.Clear();
        }

        // A concurrent caller may have added the same key; both arrays are equal, keep the first.
        return Cache.GetOrAdd(key, h);
    }

    private static double[] Generate(string itemId, int length)
    {
        var random = new Random(StableHash.Seed(104729, itemId));
        var h = new double[length];
        for (int i = 0; i < length; i++)
        {
            h[i] = StandardNormal.Next(random);
        }

        return h;
    }

    /// <summary>
    /// The evidence behind the cosine of two sketches, ‖a‖·‖b‖ / length: each judged item adds about length·sign² to a
    /// sketch's squared norm, so this is about √(Σsign²·Σsign′²) (√(n·n′) for n and n′ items judged with full signs),
    /// and cosine × evidence ≈ Σ sign·sign′ over the items both judged (the net agreement count). 0 for an empty sketch.
    /// </summary>
    public static double Evidence(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        a.Length == 0 || a.Length != b.Length ? 0 : TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b) / a.Length;

    /// <inheritdoc cref="Evidence(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static double Evidence(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        a.Length == 0 || a.Length != b.Length ? 0 : (double)TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b) / a.Length;

    /// <summary>
    /// The sketch of a user's pairs: +h(chosen) − h(rejected) for each pair, the sum the user grain keeps up to date with
    /// one addition per feedback (<see cref="Add"/> twice per pair).
    /// </summary>
    public static double[] OfPairs(IEnumerable<(string Chosen, string Rejected)> pairs, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sketch = new double[length];
        foreach (var (chosen, rejected) in pairs)
        {
            Add(sketch, chosen, 1);
            Add(sketch, rejected, -1);
        }

        return sketch;
    }

    /// <summary>The sketch of a set of judgments (item id → mean sign).</summary>
    public static double[] Of(IReadOnlyDictionary<string, double> judgments, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(judgments);
        var sketch = new double[length];
        foreach (var (item, sign) in judgments)
        {
            Add(sketch, item, sign);
        }

        return sketch;
    }
}

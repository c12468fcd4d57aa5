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

    /// <summary>The item's random direction h(item) (unit variance per component, deterministic in the id).</summary>
    public static double[] Direction(string itemId, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var random = new Random(StableHash.Seed(104729, itemId));
        var h = new double[length];
        for (int i = 0; i < length; i++)
        {
            h[i] = StandardNormal.Next(random);
        }

        return h;
    }

    /// <summary>Adds one judgment (sign in [−1, 1]) of <paramref name="itemId"/> to <paramref name="sketch"/>.</summary>
    public static void Add(double[] sketch, string itemId, double sign)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        var h = Direction(itemId, sketch.Length);
        for (int i = 0; i < sketch.Length; i++)
        {
            sketch[i] += sign * h[i];
        }
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

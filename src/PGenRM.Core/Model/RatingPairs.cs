namespace PGenRM.Core.Model;

/// <summary>
/// The one rule that turns per-item ratings into weighted pairs, shared by the evaluation and the user grain: within
/// one user and one prompt every two items with different ratings give the pair (higher, lower), ties give nothing,
/// and each pair weighs items/pairs (at most 1), so a rating set counts as many observations as the items it covers,
/// not as its a×d pairs.
/// </summary>
public static class RatingPairs
{
    /// <summary>
    /// The (higher, lower) index pairs of <paramref name="ratings"/>, in index order (i &lt; j, then j): callers fix
    /// a canonical order of the ratings first so that the pairs do not depend on input order.
    /// </summary>
    /// <exception cref="ArgumentException">A rating is not finite.</exception>
    public static List<(int High, int Low)> Pairs(IReadOnlyList<double> ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        for (int i = 0; i < ratings.Count; i++)
        {
            if (!double.IsFinite(ratings[i]))
            {
                throw new ArgumentException($"Rating {i} is {ratings[i]}; ratings must be finite.", nameof(ratings));
            }
        }

        var pairs = new List<(int High, int Low)>();
        for (int i = 0; i < ratings.Count; i++)
        {
            for (int j = i + 1; j < ratings.Count; j++)
            {
                if (ratings[i] == ratings[j])
                {
                    continue;
                }

                pairs.Add(ratings[i] > ratings[j] ? (i, j) : (j, i));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Weight of each of <paramref name="pairCount"/> pairs that together cover <paramref name="coveredItems"/>
    /// distinct items: min(1, items/pairs); 1 when there are no pairs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static double Weight(int coveredItems, int pairCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(coveredItems);
        ArgumentOutOfRangeException.ThrowIfNegative(pairCount);
        return pairCount == 0 ? 1 : Math.Min(1.0, coveredItems / (double)pairCount);
    }

    /// <summary><see cref="Weight(int, int)"/> for pairs of item keys: the covered items are the distinct keys.</summary>
    public static double Weight<T>(IReadOnlyCollection<(T High, T Low)> pairs, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var items = new HashSet<T>(comparer);
        foreach (var (high, low) in pairs)
        {
            items.Add(high);
            items.Add(low);
        }

        return Weight(items.Count, pairs.Count);
    }
}

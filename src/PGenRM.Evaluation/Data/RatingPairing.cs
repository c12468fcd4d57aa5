using PGenRM.Core.Model;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Turns per-item ratings into pairwise judgments: within one user and one prompt, every two items with different
/// values give the pair (higher, lower); ties give nothing. For Polis (±1) this is exactly "a statement the participant
/// agreed with against one they disagreed with in the same conversation".
/// </summary>
/// <remarks>
/// Pairs come out in a canonical order (prompt id; then each rating's <see cref="RatingJudgment.Order"/> and item id),
/// so results do not depend on the order of the input. A pair's <see cref="PairJudgment.Order"/> is the later of its two
/// ratings' orders: the moment both judgments were known, which is what a replay needs.
/// </remarks>
public static class RatingPairing
{
    /// <summary>All (higher, lower) pairs of one user's ratings, optionally restricted and capped.</summary>
    /// <param name="ratings">Ratings of a single user; at most one per item.</param>
    /// <param name="allowedItemIds">When set, only ratings of these items are paired. Use it to keep both items of every
    /// pair on one side of an item split, so that no held-out item leaks into training pairs.</param>
    /// <param name="maxPairs">When set and smaller than the number of pairs, a uniform sample of this many pairs is kept.</param>
    /// <param name="seed">Seed of the sample: the same seed and ratings always give the same pairs.</param>
    /// <returns>Pairs in canonical order (a sample keeps that order).</returns>
    /// <exception cref="ArgumentException">The ratings belong to more than one user, or an item is rated twice.</exception>
    public static IReadOnlyList<PairJudgment> ForUser(
        IEnumerable<RatingJudgment> ratings,
        IReadOnlySet<string>? allowedItemIds = null,
        int? maxPairs = null,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if (maxPairs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPairs), maxPairs, "must be zero or more");
        }

        var kept = ratings.Where(r => allowedItemIds is null || allowedItemIds.Contains(r.ItemId)).ToList();
        if (kept.Count == 0)
        {
            return [];
        }

        var userId = kept[0].UserId;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rating in kept)
        {
            if (!string.Equals(rating.UserId, userId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"ratings of '{userId}' and '{rating.UserId}' were mixed; pass one user's ratings", nameof(ratings));
            }

            if (!seen.Add(rating.ItemId))
            {
                throw new ArgumentException($"user '{userId}' rates item '{rating.ItemId}' more than once", nameof(ratings));
            }
        }

        var pairs = new List<PairJudgment>();
        foreach (var prompt in kept.GroupBy(r => r.PromptId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = prompt.OrderBy(r => r.Order).ThenBy(r => r.ItemId, StringComparer.Ordinal).ToArray();
            foreach (var (high, low) in RatingPairs.Pairs(ordered.Select(r => r.Value).ToArray()))
            {
                var (a, b) = (ordered[high], ordered[low]);
                pairs.Add(new PairJudgment(userId, prompt.Key, a.ItemId, b.ItemId, Math.Max(a.Order, b.Order), SourceSplit: null));
            }
        }

        return maxPairs is { } cap && cap < pairs.Count ? Sample(pairs, cap, seed) : pairs;
    }

    /// <summary>
    /// <see cref="ForUser"/> for every user in <paramref name="ratings"/>, users in ordinal order. Each user's sample is
    /// seeded from <paramref name="seed"/> and the user id, so it does not change when other users are added or removed.
    /// </summary>
    public static IReadOnlyList<PairJudgment> ForAllUsers(
        IEnumerable<RatingJudgment> ratings,
        IReadOnlySet<string>? allowedItemIds = null,
        int? maxPairsPerUser = null,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var pairs = new List<PairJudgment>();
        foreach (var user in ratings.GroupBy(r => r.UserId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            pairs.AddRange(ForUser(user, allowedItemIds, maxPairsPerUser, UserSeed(seed, user.Key)));
        }

        return pairs;
    }

    /// <summary>The seed <see cref="ForAllUsers"/> uses for one user.</summary>
    public static int UserSeed(int seed, string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);

        // Not HashCode.Combine: it is randomised per process, and the seed must be the same in every run.
        return unchecked((seed * 486187739) ^ TextKey.StableHash(userId));
    }

    private static List<PairJudgment> Sample(List<PairJudgment> pairs, int count, int seed)
    {
        // Fisher–Yates over indices from a canonical order with a seeded System.Random (whose seeded sequence .NET keeps
        // stable across versions), then the chosen indices are sorted so the sample keeps the canonical order.
        var random = new Random(seed);
        var indices = Enumerable.Range(0, pairs.Count).ToArray();
        for (var i = indices.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return [.. indices.AsSpan(0, count).ToArray().Order().Select(i => pairs[i])];
    }
}

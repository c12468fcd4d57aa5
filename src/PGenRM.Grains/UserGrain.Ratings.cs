using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>Ratings feedback: one rated set turned into weighted pairs by <see cref="RatingPairs"/>.</summary>
public sealed partial class UserGrain
{
    /// <summary>Most responses in one rating set (at most n(n−1)/2 = 120 pairs).</summary>
    public const int MaxRatedItems = RequestLimits.MaxRatedResponses;

    /// <inheritdoc />
    /// <remarks>
    /// Items are ordered by item id, then every higher-rated ≻ lower-rated pair is learned with weight
    /// min(1, items/pairs) — the rule the evaluation uses. The set counts as one feedback item; its pairs get ids
    /// "{set id}:{chosen item}>{rejected item}", and the whole set is stored with one write.
    /// </remarks>
    public async Task<FeedbackReceipt> ApplyRatingsAsync(RatingsFeedback ratings, CancellationToken cancellationToken = default)
    {
        Validate(ratings);

        // Everything awaited before the first mutation: a failure here leaves the grain exactly as stored.
        var encoded = await _evaluator.EncodeAsync(
            ratings.Query, ratings.Items.Select(r => r.Text).ToList(), ratings.Items.Select(r => r.ItemId).ToList(), cancellationToken);
        var candidates = encoded.Candidates;
        var duplicate = candidates.GroupBy(c => c.ItemId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidRequestException("ratings", $"Ratings {ratings.FeedbackId}: item {duplicate.Key} is rated more than once.");
        }

        var order = Enumerable.Range(0, candidates.Count).OrderBy(i => candidates[i].ItemId, StringComparer.Ordinal).ToArray();
        var indexPairs = RatingPairs.Pairs(order.Select(i => ratings.Items[i].Rating).ToArray())
            .Select(p => (High: order[p.High], Low: order[p.Low]))
            .ToList();
        double weight = RatingPairs.Weight(indexPairs);

        var involved = indexPairs.SelectMany(p => new[] { p.High, p.Low }).Distinct().ToArray();
        var stats = await Task.WhenAll(involved.Select(i => ItemCache.GetAsync(GrainKeys.Item(_tenant, candidates[i].ItemId), cancellationToken)));
        var views = new Dictionary<int, ItemView>();
        for (int k = 0; k < involved.Length; k++)
        {
            views[involved[k]] = View(stats[k], candidates[involved[k]].FactorPrior);
        }

        var pairs = new List<PendingPair>(indexPairs.Count);
        foreach (var (high, low) in indexPairs)
        {
            var (chosen, rejected) = (candidates[high], candidates[low]);
            var evidence = CompactEvaluator.Evidence(encoded with { Candidates = [chosen, rejected] }, views[high], views[low], weight);
            var pair = StoredPair.From($"{ratings.FeedbackId}:{chosen.ItemId}>{rejected.ItemId}", evidence, ratings.At);
            pairs.Add(new PendingPair(pair, chosen.FactorPrior, rejected.FactorPrior));
        }

        var entry = Entry(
            ratings.FeedbackId, ratings.Query, ratings.Items.Select(r => r.Text).ToList(), candidates, ratings.Items.Select(r => r.Rating).ToArray(), pairs.ConvertAll(p => p.Stored), ratings.At);
        return await ApplyAndStoreAsync(entry, pairs, cancellationToken);
    }

    private static void Validate(RatingsFeedback ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ValidateFeedbackId(ratings.FeedbackId, nameof(ratings));
        if (ratings.Query is null)
        {
            throw new ArgumentException($"Ratings {ratings.FeedbackId}: Query must be set.", nameof(ratings));
        }

        if (ratings.Items is null || ratings.Items.Count < 2 || ratings.Items.Count > MaxRatedItems)
        {
            throw new ArgumentException(
                $"Ratings {ratings.FeedbackId}: Items must hold 2–{MaxRatedItems} rated responses, got {ratings.Items?.Count ?? 0}.", nameof(ratings));
        }

        for (int i = 0; i < ratings.Items.Count; i++)
        {
            var item = ratings.Items[i];
            if (item is null || string.IsNullOrWhiteSpace(item.Text))
            {
                throw new ArgumentException($"Ratings {ratings.FeedbackId}: item {i} has no text.", nameof(ratings));
            }

            if (!double.IsFinite(item.Rating))
            {
                throw new ArgumentException($"Ratings {ratings.FeedbackId}: item {i} has rating {item.Rating}; ratings must be finite.", nameof(ratings));
            }
        }
    }
}

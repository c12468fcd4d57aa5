using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api;

/// <summary>Validates a <see cref="FeedbackRequest"/> against the tenant's limits and turns it into a grain call.</summary>
internal static class FeedbackMapping
{
    /// <summary>A validated feedback item: exactly one of <see cref="Pair"/> and <see cref="Ratings"/>.</summary>
    public sealed record Validated(string Id, FeedbackItem? Pair, RatingsFeedback? Ratings);

    /// <summary>Validates; <paramref name="prefix"/> names the item in messages ("" or "items[3].").</summary>
    public static Validated Validate(FeedbackRequest request, TenantSettings settings, string prefix, TimeProvider time)
    {
        string id = Check.Id(request.Id, prefix + "id");
        string query = Check.Text(request.Query, prefix + "query", settings.MaxTextLength);
        var at = request.At ?? time.GetUtcNow();
        if (request.Ratings is not null)
        {
            if (request.Chosen is not null || request.Rejected is not null)
            {
                throw Check.Bad($"'{prefix}ratings' cannot be combined with '{prefix}chosen'/'{prefix}rejected': send a pair or ratings.");
            }

            RequestLimits.RatedResponses(request.Ratings.Count, settings.MaxCandidates, prefix + "ratings");

            var items = new List<RatedResponse>(request.Ratings.Count);
            for (int i = 0; i < request.Ratings.Count; i++)
            {
                var r = request.Ratings[i] ?? throw Check.Bad($"'{prefix}ratings[{i}]' must be an object.");
                string field = $"{prefix}ratings[{i}]";
                items.Add(new RatedResponse(
                    Check.Text(r.Text, field + ".text", settings.MaxTextLength),
                    Check.OptionalId(r.ItemId, field + ".itemId"),
                    Check.Finite(r.Rating ?? throw Check.Bad($"'{field}.rating' is required."), field + ".rating")));
            }

            return new Validated(id, null, new RatingsFeedback(id, query, items, at));
        }

        string chosen = Check.Text(request.Chosen, prefix + "chosen", settings.MaxTextLength);
        string rejected = Check.Text(request.Rejected, prefix + "rejected", settings.MaxTextLength);
        double weight = Check.Finite(request.Weight ?? 1, prefix + "weight");
        if (weight <= 0 || weight > 100)
        {
            throw Check.Bad($"'{prefix}weight' must be in (0, 100], got {weight}.");
        }

        return new Validated(id, new FeedbackItem(id, query, chosen, rejected,
            Check.OptionalId(request.ChosenId, prefix + "chosenId"), Check.OptionalId(request.RejectedId, prefix + "rejectedId"), weight, at), null);
    }

    /// <summary>Applies a validated item on the user grain.</summary>
    public static Task<FeedbackReceipt> ApplyAsync(IUserGrain user, Validated item, CancellationToken cancellationToken) =>
        item.Pair is not null
            ? user.ApplyFeedbackAsync(item.Pair, cancellationToken)
            : user.ApplyRatingsAsync(item.Ratings!, cancellationToken);

    /// <summary>The receipt as the API answers it (and counted in <see cref="ServiceMetrics.Feedback"/>).</summary>
    public static Endpoints.FeedbackResult Receipt(string id, FeedbackReceipt receipt, string? user = null)
    {
        string status = receipt.Status.ToString().ToLowerInvariant();
        ServiceMetrics.Feedback.Add(1, new KeyValuePair<string, object?>("status", status));
        return new Endpoints.FeedbackResult(id, user, status, receipt.FeedbackCount);
    }
}

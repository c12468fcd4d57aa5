using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>IUserGrain.GetHistoryPairsAsync: the texts the LLM judge quotes (read from the feedback log, at most RecentWindow operations).</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class UserGrainHistoryTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task HistoryPairs_AreNewestFirst_Bounded_AndIncludeRatingPairs()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), ct);
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "h-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Empty(await user.GetHistoryPairsAsync(5, ct));

        for (int i = 0; i < UserGrain.RecentWindow + 2; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), ct);
        }

        var pairs = await user.GetHistoryPairsAsync(3, ct);
        int last = UserGrain.RecentWindow + 1;
        Assert.Equal([Feedback.Item(last).FeedbackId, Feedback.Item(last - 1).FeedbackId, Feedback.Item(last - 2).FeedbackId], pairs.Select(p => p.FeedbackId));
        Assert.Equal(new HistoryPair(Feedback.Item(last).FeedbackId, Feedback.Query(last), Feedback.Concise(last), Feedback.Verbose(last), Feedback.Item(last).At), pairs[0]);
        Assert.Equal(UserGrain.RecentWindow, (await user.GetHistoryPairsAsync(100, ct)).Count);

        // A rating set contributes its derived pairs (higher ≻ lower).
        await user.ApplyRatingsAsync(
            new RatingsFeedback("r1", "Which is best?", [new RatedResponse("low", null, 1), new RatedResponse("high", null, 5)], DateTimeOffset.UnixEpoch),
            ct);
        var rated = (await user.GetHistoryPairsAsync(1, ct)).Single();
        Assert.Equal(("Which is best?", "high", "low"), (rated.Query, rated.Chosen, rated.Rejected));
    }
}

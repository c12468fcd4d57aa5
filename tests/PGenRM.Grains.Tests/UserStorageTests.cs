using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The user's Table storage on Azurite: packed format, ETag conflicts, ratings stored with one write.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class UserStorageTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task StoredUser_IsOnePackedTableEntityThatUnpacksToTheGrainsState()
    {
        var user = NewUser(out string key);
        for (int i = 0; i < 3; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), TestContext.Current.CancellationToken);
        }

        var entity = Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, TestContext.Current.CancellationToken));
        byte[] payload = StoredEntities.Payload(entity);
        var stored = UserStatePacker.Unpack(payload, Serializer());

        Assert.Equal(UserStatePacker.FormatVersion, payload[0]);
        Assert.Equal(3, stored.FeedbackCount);
        Assert.Equal(["f-0", "f-1", "f-2"], stored.History.Select(h => h.FeedbackId));
        var export = await user.ExportAsync(TestContext.Current.CancellationToken);
        Assert.Equal(export.Feedback.Select(f => (f.FeedbackId, f.ChosenItemId, f.RejectedItemId)), stored.History.Select(h => (h.FeedbackId, h.ChosenItemId, h.RejectedItemId)));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyFeedback_AfterAnotherWriterChangedTheRow_ReReadsAndKeepsBothWrites()
    {
        var user = NewUser(out string key);
        await user.ApplyFeedbackAsync(Feedback.Item(0), TestContext.Current.CancellationToken);
        await user.ApplyFeedbackAsync(Feedback.Item(1), TestContext.Current.CancellationToken);

        // Another writer (say a second activation during a partition) stores one more item behind the grain's back:
        // the grain's ETag is stale now.
        var entity = Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, TestContext.Current.CancellationToken));
        var serializer = Serializer();
        var theirs = UserStatePacker.Unpack(StoredEntities.Payload(entity), serializer);
        theirs.RecentFeedbackIds.Add("foreign-1");
        theirs.FeedbackCount++;
        StoredEntities.SetPayload(entity, UserStatePacker.Pack(theirs, serializer));
        await fixture.UserTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, TestContext.Current.CancellationToken);

        var receipt = await user.ApplyFeedbackAsync(Feedback.Item(2), TestContext.Current.CancellationToken);

        // Neither write is lost: 2 items + the foreign one + this one.
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 4), receipt);
        var after = UserStatePacker.Unpack(StoredEntities.Payload(Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, TestContext.Current.CancellationToken))), serializer);
        Assert.Equal(["f-0", "f-1", "foreign-1", "f-2"], after.RecentFeedbackIds);
        Assert.Equal(4, after.FeedbackCount);
        Assert.Equal(3, after.History.Count);
        Assert.Equal(FeedbackStatus.Duplicate, (await user.ApplyFeedbackAsync(Feedback.Item(0, "foreign-1"), TestContext.Current.CancellationToken)).Status);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyRatings_LearnsWeightedPairsAsOneFeedbackItem()
    {
        var user = NewUser(out string key);
        string query = Feedback.Query(3);

        // Five distinct ratings → 10 pairs over 5 items → weight 0.5 each; a tie would give no pair.
        var ratings = new RatingsFeedback("r-1", query,
        [
            new RatedResponse(Feedback.Verbose(3), "verbose", 0),
            new RatedResponse(Feedback.Concise(3), "concise", 4),
            new RatedResponse("Use the built-in function.", "builtin", 3),
            new RatedResponse("It depends on many factors.", "vague", 1),
            new RatedResponse("Here is a step-by-step answer with an example.", "steps", 2),
        ], DateTimeOffset.UnixEpoch);

        var receipt = await user.ApplyRatingsAsync(ratings, TestContext.Current.CancellationToken);
        var again = await user.ApplyRatingsAsync(ratings, TestContext.Current.CancellationToken);

        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 1), receipt);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, 1), again);
        await fixture.Cluster.DeactivateAsync(user);
        var export = await user.ExportAsync(TestContext.Current.CancellationToken);
        Assert.Equal(10, export.Profile.HistoryCount);
        Assert.All(export.Feedback, f => Assert.Equal(0.5, f.Weight, 12));
        Assert.Contains(export.Feedback, f => f.FeedbackId == "r-1:concise>verbose" && f.ChosenItemId == "concise");
        Assert.DoesNotContain(export.Feedback, f => f.ChosenItemId == "verbose");
        Assert.Equal(["r-1"], export.RecentFeedbackIds);

        // A set of ties gives no pair but is still one (remembered) feedback item.
        var ties = new RatingsFeedback("r-2", query, [new RatedResponse("One.", "t1", 2), new RatedResponse("Two.", "t2", 2)], DateTimeOffset.UnixEpoch);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 2), await user.ApplyRatingsAsync(ties, TestContext.Current.CancellationToken));
        Assert.Equal(10, (await user.GetProfileAsync(TestContext.Current.CancellationToken)).HistoryCount);

        // Each item saw its pairs once: "concise" (rated highest) won all four.
        var concise = await fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(GrainKeys.Parse(key).Tenant, "concise")).GetStatsAsync(TestContext.Current.CancellationToken);
        Assert.Equal((4L, 0L), (concise.Wins, concise.Losses));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyRatings_RejectsBadSetsWithArgumentException()
    {
        var user = NewUser(out _);
        var one = new RatedResponse("a", null, 1);
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(new RatingsFeedback("r", "q", [one], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(
            new RatingsFeedback("r", "q", [one, new RatedResponse("b", null, double.NaN)], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(
            new RatingsFeedback("r", "q", [one, new RatedResponse("b", "x", 2), new RatedResponse("c", "x", 3)], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(new RatingsFeedback("", "q", [one, one], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        Assert.Equal(0, (await user.GetProfileAsync(TestContext.Current.CancellationToken)).FeedbackCount);
    }

    private Serializer Serializer() => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();

    private IUserGrain NewUser(out string key)
    {
        key = GrainKeys.User("t-" + Guid.NewGuid().ToString("N")[..8], "u-" + Guid.NewGuid().ToString("N")[..8]);
        return fixture.Client.GetGrain<IUserGrain>(key);
    }
}

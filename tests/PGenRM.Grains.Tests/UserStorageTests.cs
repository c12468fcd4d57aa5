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
    public async Task StoredUser_IsOnePackedCheckpointWrittenEveryFewItems_WithoutPairs()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        var serializer = Serializer();
        async Task<UserState> StoredAsync() =>
            UserStatePacker.Unpack(StoredEntities.Payload(Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, token))), serializer);

        // The first item writes its log row only (the log tail rebuilds a user with no row); the first checkpoint comes
        // CheckpointEvery items in, the next CheckpointEvery items later.
        await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        Assert.Empty(await StoredEntities.OfUserAsync(fixture.UserTable, key, token));
        for (int i = 1; i < UserGrain.CheckpointEvery; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        Assert.Equal(UserGrain.CheckpointEvery, (await StoredAsync()).LogSequence);
        await user.ApplyFeedbackAsync(Feedback.Item(UserGrain.CheckpointEvery), token);
        Assert.Equal(UserGrain.CheckpointEvery, (await StoredAsync()).LogSequence);
        await fixture.Cluster.DeactivateAsync(user);

        var stored = await StoredAsync();
        byte[] payload = StoredEntities.Payload(Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, token)));
        Assert.Equal(UserStatePacker.FormatVersion, payload[0]);
        Assert.Equal(5, stored.FeedbackCount);
        Assert.Equal(5, stored.LogSequence);
        Assert.Empty(stored.History);
        Assert.Equal((1L, 0), (stored.HistoryFromSequence, stored.HistorySkip));
        Assert.Equal(["f-0", "f-1", "f-2", "f-3", "f-4"], stored.RecentFeedback);
        var export = await user.ExportAsync(token);
        Assert.Equal(["f-0", "f-1", "f-2", "f-3", "f-4"], export.Feedback.Select(f => f.FeedbackId));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (Feedback.Item(i).Query, Feedback.Item(i).Chosen, Feedback.Item(i).Rejected)), export.Feedback.Select(f => (f.Query!, f.Chosen!, f.Rejected!)));

        // The history comes back from the log: same profile after another reactivation.
        var before = await user.GetProfileAsync(token);
        await fixture.Cluster.DeactivateAsync(user);
        var after = await user.GetProfileAsync(token);
        Assert.Equal((5L, 5), (after.FeedbackCount, after.HistoryCount));
        Assert.Equal(before.Scheme, after.Scheme, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Checkpoint_AfterAnotherWriterChangedTheRow_ReReadsAndKeepsTheirChangeAndEveryLoggedItem()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        for (int i = 0; i < UserGrain.CheckpointEvery; i++)
        {
            // The first checkpoint creates the row.
            await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        // Another writer (say a second activation during a partition) stores the row behind the grain's back: the
        // grain's ETag is stale now.
        var entity = Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, token));
        var serializer = Serializer();
        var theirs = UserStatePacker.Unpack(StoredEntities.Payload(entity), serializer);
        theirs.StatedPreferenceText = "set by the other writer";
        StoredEntities.SetPayload(entity, UserStatePacker.Pack(theirs, serializer));
        await fixture.UserTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, token);

        // The checkpoint after CheckpointEvery more items conflicts: re-read, the log replayed above the row, stored.
        FeedbackReceipt receipt = null!;
        for (int i = UserGrain.CheckpointEvery; i < 2 * UserGrain.CheckpointEvery; i++)
        {
            receipt = await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 8), receipt);
        var after = UserStatePacker.Unpack(StoredEntities.Payload(Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, token))), serializer);
        Assert.Equal("set by the other writer", after.StatedPreferenceText);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"f-{i}"), after.RecentFeedback);
        Assert.Equal((8L, 8L), (after.FeedbackCount, after.LogSequence));
        Assert.Equal(8, (await user.GetProfileAsync(token)).HistoryCount);
        Assert.Equal(FeedbackStatus.Duplicate, (await user.ApplyFeedbackAsync(Feedback.Item(0), token)).Status);
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
        await fixture.FlushDerivedAsync(TestContext.Current.CancellationToken);
        var concise = await fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(GrainKeys.Parse(key).Tenant, "concise")).GetStatsAsync(TestContext.Current.CancellationToken);
        Assert.Equal((4L, 0L), (concise.Wins, concise.Losses));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyRatings_RejectsBadSets()
    {
        var user = NewUser(out _);
        var one = new RatedResponse("a", null, 1);
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(new RatingsFeedback("r", "q", [one], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => user.ApplyRatingsAsync(
            new RatingsFeedback("r", "q", [one, new RatedResponse("b", null, double.NaN)], DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken));
        // One item rated twice is the client's mistake (a 400 at the API), not a bug.
        await Assert.ThrowsAsync<InvalidRequestException>(() => user.ApplyRatingsAsync(
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

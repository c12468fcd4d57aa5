using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Log;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The feedback log on Azurite: one row per operation, idempotency by row key, tail replay, texts for chains, delete.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class FeedbackLogTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyFeedback_WritesOneRowPerItem_AndTheStoreRejectsARepeatedId()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        for (int i = 0; i < 3; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i, $"f/{i}#?"), token);
        }

        var again = await user.ApplyFeedbackAsync(Feedback.Item(1, "f/1#?"), token);

        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, 3), again);
        var rows = await RowsAsync(key, token);
        Assert.Equal(["f%2F0%23%3F", "f%2F1%23%3F", "f%2F2%23%3F"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.GetInt64("Seq")!.Value).Order());
        var entry = await Log().GetAsync(key, "f/2#?", token);
        Assert.NotNull(entry);
        Assert.Equal((Feedback.Item(2).Query, Feedback.Item(2).Chosen, Feedback.Item(2).Rejected), (entry.Query, entry.Texts[0], entry.Texts[1]));
        Assert.Equal("f/2#?", Assert.Single(entry.Pairs()).FeedbackId);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task NewUser_ActivationMakesOnePointReadOfTheMarker_NoLogQuery_AndTheFirstAppendWritesTheMarker()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        string partition = TableKeys.Escape(key);

        await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        await user.ApplyFeedbackAsync(Feedback.Item(1), token);

        // The activation (no stored state) asked the marker by its keys and queried nothing: the log was empty.
        string marker = $"/devstoreaccount1/{Log().Table.Name}(PartitionKey='{partition}',RowKey='{FeedbackLog.MarkerRowKey(key)}')?$select=RowKey";
        Assert.Equal([marker], fixture.TableRequests.ReadsOf(Log().Table.Name, partition));
        var all = await AllRowsAsync(key, token);
        Assert.Equal([FeedbackLog.MarkerRowKey(key), "f-0", "f-1"], all.Select(r => r.RowKey).Order(StringComparer.Ordinal));

        // With a log (the marker), an activation with no stored state (a crash before the first checkpoint) reads
        // the marker, then the whole tail by one query.
        await fixture.Cluster.DeactivateAsync(user);
        foreach (var row in await StoredEntities.OfUserAsync(fixture.UserTable, key, token))
        {
            await fixture.UserTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, token);
        }

        int before = fixture.TableRequests.ReadsOf(Log().Table.Name, partition).Count;
        Assert.Equal(2, (await user.GetProfileAsync(token)).FeedbackCount);
        Assert.Equal(
            [marker, $"/devstoreaccount1/{Log().Table.Name}()?$filter=PartitionKey eq '{partition}' and Seq gt 0L"],
            fixture.TableRequests.ReadsOf(Log().Table.Name, partition).Skip(before));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Marker_RidesTheFirstAppendOnly_ARepeatedFirstIdIsRefused_AndDeleteRemovesIt()
    {
        var token = TestContext.Current.CancellationToken;
        string key = GrainKeys.User("t-" + Guid.NewGuid().ToString("N")[..8], "u-log");
        var first = new LogEntry { FeedbackId = "a", Sequence = 1, Query = "q" };
        var second = new LogEntry { FeedbackId = "b", Sequence = 2, Query = "q" };
        Assert.False(await Log().HasEntriesAsync(key, token));

        Assert.True(await Log().TryAppendAsync(key, [first], token));
        Assert.False(await Log().TryAppendAsync(key, [new LogEntry { FeedbackId = "a", Sequence = 1, Query = "again" }], token));
        Assert.True(await Log().TryAppendAsync(key, [second], token));

        Assert.True(await Log().HasEntriesAsync(key, token));
        Assert.Equal([FeedbackLog.MarkerRowKey(key), "a", "b"], (await AllRowsAsync(key, token)).Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], (await Log().ReadAllAsync(key, token)).Select(e => e.FeedbackId));
        Assert.Equal("q", (await Log().GetAsync(key, "a", token))!.Query);
        Assert.Equal(["a", "b"], await Log().ReadTenantAsync(GrainKeys.Parse(key).Tenant, token).Select(e => e.Entry.FeedbackId).ToListAsync(token));
        Assert.Equal(2, await Log().DeleteUserAsync(key, token));
        Assert.Empty(await AllRowsAsync(key, token));
        Assert.False(await Log().HasEntriesAsync(key, token));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Activation_ReplaysLogEntriesTheStoredStateLacks_AndCountsThemOnce()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        await user.ApplyFeedbackAsync(Feedback.Item(1), token);
        var before = await user.GetProfileAsync(token);

        // A crash between the log append and the state write: the row of "f-lost" is durable, the state is not.
        var lost = (await Log().GetAsync(key, "f-1", token))!;
        lost.FeedbackId = "f-lost";
        lost.Sequence = 3;
        lost.PackedPairs = Storage.UserStatePacker.PackPairs(lost.Pairs().ConvertAll(p =>
        {
            p.FeedbackId = "f-lost";
            return p;
        }));
        await fixture.Cluster.DeactivateAsync(user);
        Assert.True(await Log().TryAppendAsync(key, [lost], token));

        var after = await user.GetProfileAsync(token);
        var retry = await user.ApplyFeedbackAsync(Feedback.Item(1, "f-lost"), token);

        Assert.Equal(3, after.FeedbackCount);
        Assert.Equal(3, after.HistoryCount);
        Assert.NotEqual(before.Scheme, after.Scheme);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, 3), retry);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 4), await user.ApplyFeedbackAsync(Feedback.Item(2), token));
        Assert.Equal(["f-0", "f-1", "f-lost", "f-2"], (await user.ExportAsync(token)).RecentFeedbackIds);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task FirstFeedback_WritesOnlyItsLogRow_AndAUserWithNoStoredStateIsRebuiltFromTheLog()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        var receipt = await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        var live = await user.GetProfileAsync(token);

        // One storage request: the log row. No user row (no forced checkpoint, the join waits in memory).
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 1), receipt);
        Assert.Equal(1L, Assert.Single(await RowsAsync(key, token)).GetInt64("Seq"));
        Assert.Empty(await StoredEntities.OfUserAsync(fixture.UserTable, key, token));

        // A silo killed now never writes a checkpoint: the deactivation's is deleted again, so the next activation
        // finds what a crash leaves, the log row and no state.
        await fixture.Cluster.DeactivateAsync(user);
        foreach (var row in await StoredEntities.OfUserAsync(fixture.UserTable, key, token))
        {
            await fixture.UserTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, token);
        }

        var rebuilt = await user.GetProfileAsync(token);
        Assert.Equal((1L, 1), (rebuilt.FeedbackCount, rebuilt.HistoryCount));
        Assert.Equal(live.Prototype, rebuilt.Prototype);
        Assert.Equal(live.Scheme, rebuilt.Scheme, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, 1), await user.ApplyFeedbackAsync(Feedback.Item(0), token));
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 2), await user.ApplyFeedbackAsync(Feedback.Item(1), token));
        Assert.Equal(["f-0", "f-1"], (await user.ExportAsync(token)).RecentFeedbackIds);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Resend_OfAnIdOlderThanTheRecentWindow_IsRefusedByTheLog_WithoutTouchingTheModel()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        for (int i = 0; i <= UserGrain.RecentWindow; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        // f-0 is older than the state's recent ids now: only the log's row key knows it.
        var before = await user.GetProfileAsync(token);

        var again = await user.ApplyFeedbackAsync(Feedback.Item(0), token);

        // The log refused it before the model was touched: the same scheme to the bit (a reload would refit from the
        // prior mean), the same count, no row added; the next new id goes on at the next sequence.
        var after = await user.GetProfileAsync(token);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, UserGrain.RecentWindow + 1), again);
        Assert.Equal(before.Scheme, after.Scheme);
        Assert.Equal((before.FeedbackCount, before.HistoryCount, before.Prototype), (after.FeedbackCount, after.HistoryCount, after.Prototype));
        Assert.Equal(UserGrain.RecentWindow + 1, (await RowsAsync(key, token)).Count);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, UserGrain.RecentWindow + 2), await user.ApplyFeedbackAsync(Feedback.Item(99), token));
        Assert.Equal(UserGrain.RecentWindow + 2L, (await Log().GetAsync(key, "f-99", token))!.Sequence);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task GetHistoryPairs_ReturnsTheNewestPairsWithTextsFromTheLog_RatingSetsAsDerivedPairs()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out _);
        for (int i = 0; i < 3; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        var at = DateTimeOffset.UnixEpoch.AddHours(1);
        await user.ApplyRatingsAsync(new RatingsFeedback("r", "Which is best?", [new("Low.", "low", 1), new("High.", "high", 3), new("Mid.", "mid", 2)], at), token);
        await fixture.Cluster.DeactivateAsync(user);

        var pairs = await user.GetHistoryPairsAsync(4, token);

        Assert.Equal(4, pairs.Count);
        Assert.Equal(
            ["r:high>low", "r:high>mid", "r:mid>low"],
            pairs.Take(3).Select(p => p.FeedbackId).Order(StringComparer.Ordinal));
        Assert.All(pairs.Take(3), p => Assert.Equal(("Which is best?", at), (p.Query, p.At)));
        Assert.Contains(pairs, p => p is { Chosen: "High.", Rejected: "Low." });
        Assert.Equal(new HistoryPair("f-2", Feedback.Query(2), Feedback.Concise(2), Feedback.Verbose(2), DateTimeOffset.UnixEpoch.AddMinutes(2)), pairs[3]);
        Assert.Empty(await user.GetHistoryPairsAsync(0, token));
        Assert.Equal(6, (await user.GetHistoryPairsAsync(100, token)).Count);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Delete_RemovesTheUsersLogRows_SoTheIdsCanBeSentAgain()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        await user.ApplyFeedbackAsync(Feedback.Item(1), token);

        await user.DeleteAsync(token);

        Assert.Empty(await RowsAsync(key, token));
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 1), await user.ApplyFeedbackAsync(Feedback.Item(0), token));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task FirstFeedback_JoinIsStoredAndReachesThePrototype_WithinTheMembershipDelay_WithoutAnotherCall()
    {
        var token = TestContext.Current.CancellationToken;
        var user = NewUser(out string key);
        var (tenant, _) = GrainKeys.Parse(key);
        await user.ApplyFeedbackAsync(Feedback.Item(0), token);
        var profile = await user.GetProfileAsync(token);
        var prototype = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, Assert.NotNull(profile.Prototype)));

        // Acknowledged on the log row alone: the join waits in memory, unsent (never sent before it is stored).
        Assert.Empty(await StoredEntities.OfUserAsync(fixture.UserTable, key, token));
        Assert.Equal(0, (await prototype.GetSummaryAsync(token)).Members);

        // Nothing else calls the user: the membership timer writes the state, then the join leaves.
        var started = DateTime.UtcNow;
        while ((await prototype.GetSummaryAsync(token)).Members == 0)
        {
            Assert.True(DateTime.UtcNow - started < UserGrain.MembershipWriteDelay + TimeSpan.FromSeconds(20), "the join never reached the prototype");
            await Task.Delay(200, token);
        }

        Assert.Single(await StoredEntities.OfUserAsync(fixture.UserTable, key, token));
        var summary = await prototype.GetSummaryAsync(token);
        Assert.Equal((1L, 1L), (summary.Members, summary.Joins));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Append_ATypicalEntryIsOneChunk_AndALargeOneSpansFullChunks_BothReadBackWhole()
    {
        var token = TestContext.Current.CancellationToken;
        var log = Log();
        string key = GrainKeys.User($"log-{Guid.NewGuid():N}", "u");
        var small = new LogEntry { FeedbackId = "small", Sequence = 1, Query = "q", Texts = ["a", "b"], ItemIds = ["a", "b"], At = DateTimeOffset.UnixEpoch };

        // Base64 of random bytes compresses to about 3/4: 200 KB of text is three 64 KiB chunks (two full) and a fourth.
        var random = new Random(7);
        var bytes = new byte[150_000];
        random.NextBytes(bytes);
        string large = Convert.ToBase64String(bytes);
        var big = new LogEntry { FeedbackId = "big", Sequence = 2, Query = "q", Texts = [large, "b"], ItemIds = ["a", "b"], At = DateTimeOffset.UnixEpoch };

        Assert.True(await log.TryAppendAsync(key, [small], token));
        Assert.True(await log.TryAppendAsync(key, [big], token));

        var rows = (await RowsAsync(key, token)).ToDictionary(r => r.RowKey);
        var smallChunks = Chunks(rows["small"]);
        Assert.Equal([log.PayloadBytes(small)], smallChunks);
        var bigChunks = Chunks(rows["big"]);
        int bigBytes = log.PayloadBytes(big);
        int count = (bigBytes + TableChunks.ChunkSize - 1) / TableChunks.ChunkSize;
        Assert.Equal(Enumerable.Repeat(TableChunks.ChunkSize, count - 1).Append(bigBytes - ((count - 1) * TableChunks.ChunkSize)), bigChunks);
        Assert.InRange(count, 3, 4);
        Assert.Equal(["a", "b"], (await log.GetAsync(key, "small", token))!.Texts);
        Assert.Equal([large, "b"], (await log.GetAsync(key, "big", token))!.Texts);
        Assert.Equal([1L, 2L], (await log.ReadAllAsync(key, token)).Select(e => e.Sequence));

        static List<int> Chunks(TableEntity row) =>
            [.. Enumerable.Range(0, TableChunks.MaxChunks).TakeWhile(i => row.ContainsKey($"Data{i}")).Select(i => row.GetBinary($"Data{i}")!.Length)];
    }

    private FeedbackLog Log() => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<FeedbackLog>();

    /// <summary>The user's log rows (the marker row aside).</summary>
    private async Task<List<TableEntity>> RowsAsync(string key, CancellationToken token) =>
        (await AllRowsAsync(key, token)).FindAll(r => !FeedbackLog.IsMarker(r.RowKey));

    private async Task<List<TableEntity>> AllRowsAsync(string key, CancellationToken token)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Log().Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(key)}"), cancellationToken: token))
        {
            rows.Add(row);
        }

        return rows;
    }

    private IUserGrain NewUser(out string key)
    {
        key = GrainKeys.User("t-" + Guid.NewGuid().ToString("N")[..8], "u-" + Guid.NewGuid().ToString("N")[..8]);
        return fixture.Client.GetGrain<IUserGrain>(key);
    }
}

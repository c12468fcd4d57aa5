using Microsoft.Extensions.DependencyInjection;
using PGenRM.Grains.Abstractions;
using PGenRM.Testing;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Item statistics off the acknowledgment path: each silo's derived-statistics pipeline applies the judgments after the
/// receipt, the items write them behind, and a flush bounds the lag.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class DerivedStatsTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Feedback_IsAcknowledgedWhileTheItemsAreHeld_AndTheFlushAppliesIt()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = "t-slow" + Guid.NewGuid().ToString("N")[..8];
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "u"));
        fixture.HoldItems(tenant, hold: true);
        try
        {
            // Three pairs on six distinct items: every receipt comes back while no item has applied anything (the first
            // flush waits on the held items, the later judgments wait in the queue behind it).
            for (int i = 0; i < 3; i++)
            {
                var receipt = await user.ApplyFeedbackAsync(Feedback.Item(i), token).WaitAsync(Step, token);
                Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, i + 1), receipt);
            }

            Assert.True(fixture.PendingJudgments() >= 6, $"{fixture.PendingJudgments()} judgments pending; the held items applied some");
        }
        finally
        {
            fixture.HoldItems(tenant, hold: false);
        }

        // The lag is bounded by a flush: once it completes, every item holds its judgment, exactly once.
        await fixture.FlushDerivedAsync(token).WaitAsync(Step, token);
        Assert.Equal(0, fixture.PendingJudgments());
        var export = await user.ExportAsync(token);
        foreach (var feedback in export.Feedback)
        {
            var chosen = await Item(tenant, feedback.ChosenItemId).GetStatsAsync(token);
            var rejected = await Item(tenant, feedback.RejectedItemId).GetStatsAsync(token);
            Assert.Equal((1L, 0L), (chosen.Wins, chosen.Losses));
            Assert.Equal((0L, 1L), (rejected.Wins, rejected.Losses));
            Assert.Equal(GrainKeys.User(tenant, "u"), Assert.Single(chosen.RecentJudges).JudgeId);
            Assert.NotEqual(0, chosen.Strength);
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task SharedItems_CountEveryUsersJudgmentOnce_AfterAFlush()
    {
        var token = TestContext.Current.CancellationToken;
        // A created tenant: users activating at once in a tenant that does not exist race the tenant grain's own
        // deactivation (it drops itself when it finds no tenant) and can be rejected.
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), token);

        // Four users judge the same two pairs, each twice (the second time a retry with the same id).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async u =>
        {
            var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, $"u{u}"));
            foreach (int i in new[] { 0, 1, 0, 1 })
            {
                await user.ApplyFeedbackAsync(Feedback.Item(i), token);
            }
        }));
        await fixture.FlushDerivedAsync(token).WaitAsync(Step, token);

        var export = await fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "u0")).ExportAsync(token);
        Assert.Equal(2, export.Feedback.Count);
        foreach (var feedback in export.Feedback)
        {
            var chosen = await Item(tenant, feedback.ChosenItemId).GetStatsAsync(token);
            Assert.Equal((4L, 0L), (chosen.Wins, chosen.Losses));
            Assert.Equal(4, chosen.RecentJudges.Select(j => j.JudgeId).Distinct().Count());
            Assert.True(chosen.Version >= 1);
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task WriteBehind_AppliedJudgmentsSurviveDeactivation()
    {
        var token = TestContext.Current.CancellationToken;
        int f = (await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(token)).Model.FactorDimension;
        string key = GrainKeys.Item(Tenants.FarFromItemTick("t-wb"), "item");
        var item = fixture.Client.GetGrain<IItemGrain>(key);
        var judgments = Enumerable.Range(0, 5).Select(j => new ItemJudgment(
            $"j-{j}", $"judge-{j}", j % 2 == 0 ? 1 : -1, Enumerable.Range(0, f + 1).Select(k => 0.1f * (k + j)).ToArray(), new float[f], 0.1 * j, 1, DateTimeOffset.UnixEpoch, null, j % 3))
            .ToList();
        await item.ApplyJudgmentsAsync(new ItemJudgmentBatch(judgments[..3]), token);
        await item.ApplyJudgmentsAsync(new ItemJudgmentBatch(judgments[2..]), token); // j-2 again: counted once

        var live = await item.GetStatsAsync(token);
        Assert.Equal((3L, 2L), (live.Wins, live.Losses));
        Assert.Equal(2, live.Version);

        // Applied in memory, not written yet (fewer than WriteEveryJudgments, before the timer): the row does not exist.
        Assert.Empty(await StoredEntities.OfItemAsync(fixture.ItemTable, key, token));
        Assert.Null(await item.GetStatsIfChangedAsync(live.Version, token));

        // Deactivation writes them behind; the next activation serves exactly what was live.
        await fixture.Cluster.DeactivateAsync(item);
        var reloaded = await item.GetStatsAsync(token);
        Assert.Single(await StoredEntities.OfItemAsync(fixture.ItemTable, key, token));
        Assert.Equal((live.Wins, live.Losses, live.Version, live.Strength), (reloaded.Wins, reloaded.Losses, reloaded.Version, reloaded.Strength));
        Assert.Equal(live.FactorOffset, reloaded.FactorOffset);
        Assert.Equal(live.PrototypeTallies, reloaded.PrototypeTallies);
        Assert.Equal(live.RecentJudges.Select(j => j.JudgeId), reloaded.RecentJudges.Select(j => j.JudgeId));

        // The de-duplication window came back with it.
        await item.ApplyJudgmentsAsync(new ItemJudgmentBatch([judgments[4]]), token);
        Assert.Equal((3L, 2L), ((await item.GetStatsAsync(token)).Wins, (await item.GetStatsAsync(token)).Losses));
    }

    private IItemGrain Item(string tenant, string itemId) => fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(tenant, itemId));
}

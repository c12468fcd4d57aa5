using System.Diagnostics;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyFeedback_MovesScoreTowardTheConciseCandidate()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), TestContext.Current.CancellationToken);
        string userId = "u-" + Guid.NewGuid().ToString("N")[..8];
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, userId));
        var worker = fixture.Client.GetGrain<IScoringWorker>(0);
        var request = new ScoreRequest(tenant, userId, "How do I split a string on commas in Python?",
        [
            "Use s.split(',').",
            "Great question! There are many different ways to split a string, and before we get into it, it is worth taking a step back " +
            "to think about the history of the language and the many considerations developers weigh. In this comprehensive guide we will " +
            "explore several approaches in great detail and finally arrive at a recommendation that may or may not suit you.",
        ]);

        var before = await worker.ScoreAsync(request, TestContext.Current.CancellationToken);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(Feedback.Item(i), TestContext.Current.CancellationToken)).Status);
        }

        var after = await worker.ScoreAsync(request, TestContext.Current.CancellationToken);
        double marginBefore = before.Rewards[0] - before.Rewards[1], marginAfter = after.Rewards[0] - after.Rewards[1];
        Assert.True(marginAfter > marginBefore, $"concise − verbose reward margin went from {marginBefore:F4} to {marginAfter:F4}; expected it to grow");
        Assert.False((await user.GetProfileAsync(TestContext.Current.CancellationToken)).IsColdStart);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyFeedback_CountsARepeatedFeedbackIdOnce()
    {
        var user = NewUser(out string key);
        var first = await user.ApplyFeedbackAsync(Feedback.Item(1, "same-id"), TestContext.Current.CancellationToken);
        var second = await user.ApplyFeedbackAsync(Feedback.Item(1, "same-id"), TestContext.Current.CancellationToken);

        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Applied, 1), first);
        Assert.Equal(new FeedbackReceipt(FeedbackStatus.Duplicate, 1), second);
        Assert.Equal(1, (await user.GetProfileAsync(TestContext.Current.CancellationToken)).FeedbackCount);

        // The items saw the judgment once, too.
        await fixture.FlushDerivedAsync(TestContext.Current.CancellationToken);
        var export = await user.ExportAsync(TestContext.Current.CancellationToken);
        var item = fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(GrainKeys.Parse(key).Tenant, export.Feedback.Single().ChosenItemId));
        var stats = await item.GetStatsAsync(TestContext.Current.CancellationToken);
        Assert.Equal((1L, 0L), (stats.Wins, stats.Losses));
        Assert.Equal(key, stats.RecentJudges.Single().JudgeId);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task State_SurvivesDeactivation()
    {
        var user = NewUser(out _);
        for (int i = 0; i < 3; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), TestContext.Current.CancellationToken);
        }

        var stored = await user.GetProfileAsync(TestContext.Current.CancellationToken);
        await fixture.Cluster.DeactivateAsync(user);
        var reloaded = await user.GetProfileAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, reloaded.FeedbackCount);
        Assert.Equal(3, reloaded.HistoryCount);
        Assert.Equal(stored.Scheme.Length, reloaded.Scheme.Length);
        for (int i = 0; i < stored.Scheme.Length; i++)
        {
            Assert.Equal(stored.Scheme[i], reloaded.Scheme[i], 6);
        }

        // Reloaded from Azurite, the user still recognises applied feedback ids and keeps counting.
        Assert.Equal(FeedbackStatus.Duplicate, (await user.ApplyFeedbackAsync(Feedback.Item(2), TestContext.Current.CancellationToken)).Status);
        Assert.Equal(4, (await user.ApplyFeedbackAsync(Feedback.Item(3), TestContext.Current.CancellationToken)).FeedbackCount);
        // A silo restart: SiloRestartTests (a cluster of its own).
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ApplyFeedback_LosesNothingUnderConcurrentCalls()
    {
        var user = NewUser(out _);
        await user.GetProfileAsync(TestContext.Current.CancellationToken); // activate first, so the burst measures feedback, not activation

        var receipts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => user.ApplyFeedbackAsync(Feedback.Item(i), TestContext.Current.CancellationToken)));

        Assert.All(receipts, r => Assert.Equal(FeedbackStatus.Applied, r.Status));
        Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), receipts.Select(r => r.FeedbackCount).Order());
        await fixture.Cluster.DeactivateAsync(user);
        var profile = await user.GetProfileAsync(TestContext.Current.CancellationToken);
        Assert.Equal(20, profile.FeedbackCount);
        Assert.Equal(20, profile.HistoryCount);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Delete_LeavesNoState()
    {
        var user = NewUser(out string key);
        await user.ApplyFeedbackAsync(Feedback.Item(1), TestContext.Current.CancellationToken);
        await user.SetStatedPreferenceAsync("Short answers with code, no preamble.", TestContext.Current.CancellationToken);
        Assert.NotEmpty(await StoredEntities.OfUserAsync(fixture.UserTable, key, TestContext.Current.CancellationToken));

        await user.DeleteAsync(TestContext.Current.CancellationToken);

        var profile = await user.GetProfileAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, profile.FeedbackCount);
        Assert.True(profile.IsColdStart);
        Assert.False(profile.HasStatedPreference);
        Assert.Empty(await StoredEntities.OfUserAsync(fixture.UserTable, key, TestContext.Current.CancellationToken));
        Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(Feedback.Item(1), TestContext.Current.CancellationToken)).Status);
    }

    private IUserGrain NewUser(out string key)
    {
        key = GrainKeys.User("t-" + Guid.NewGuid().ToString("N")[..8], "u-" + Guid.NewGuid().ToString("N")[..8]);
        return fixture.Client.GetGrain<IUserGrain>(key);
    }
}

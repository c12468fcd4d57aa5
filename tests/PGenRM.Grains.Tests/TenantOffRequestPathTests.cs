using Microsoft.Extensions.DependencyInjection;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// No call reaches the tenant grain per feedback or per score once a silo has the tenant cached (issue 9), counted by an
/// incoming grain call filter on every silo; and re-clustering runs beside the request path, never in it.
/// </summary>
[Collection(TenantCallCollection.Name), Trait("Category", "Azurite")]
public sealed class TenantOffRequestPathTests(TenantCallFixture fixture)
{
    private const int Requests = 5;

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task FeedbackAndScores_OfAnExistingTenant_MakeNoTenantGrainCall()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), token);
        string tenantKey = GrainKeys.Tenant(tenant);
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "u"));
        var worker = fixture.Client.GetGrain<IScoringWorker>(0);
        string[] candidates = [Feedback.Concise(1), Feedback.Verbose(1)];

        // Warm-up: the first feedback and score fill the silos' tenant caches (and place the user).
        await user.ApplyFeedbackAsync(Feedback.Item(0, $"{tenant}-0"), token);
        await worker.ScoreAsync(new ScoreRequest(tenant, "u", "warm-up", candidates), token);
        await user.FlushReportsAsync(token);
        Assert.NotEmpty(fixture.CallsTo(tenantKey));
        fixture.ClearCalls();

        for (int i = 1; i <= Requests; i++)
        {
            Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(Feedback.Item(i, $"{tenant}-{i}"), token)).Status);
        }

        await user.FlushReportsAsync(token);
        var afterFeedback = fixture.CallsTo(tenantKey);
        fixture.ClearCalls();
        for (int i = 0; i < Requests; i++)
        {
            await worker.ScoreAsync(new ScoreRequest(tenant, "u", $"Score query {i} [{tenant}]", candidates), token);
        }

        Assert.Empty(afterFeedback);
        Assert.Empty(fixture.CallsTo(tenantKey));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task FeedbackThatMovesAUser_AndScores_MakeNoTenantGrainCall()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(Prototypes: 2, ReclusterAfterMoves: 1000, ReclusterPeriod: TimeSpan.FromHours(1)), token);
        string tenantKey = GrainKeys.Tenant(tenant);
        var worker = fixture.Client.GetGrain<IScoringWorker>(0);
        var (users, next) = await PlantedUsersAsync(tenant, token);
        await fixture.Client.GetGrain<ITenantGrain>(tenantKey).ReclusterAsync(token);
        fixture.InvalidateTenantCaches(tenant);

        // Warm-up: every user takes its place in the new directory; both prototypes and every silo's caches are filled.
        foreach (var (grain, group) in users)
        {
            await grain.ApplyFeedbackAsync(Item(tenant, group, next++), token);
            await grain.FlushReportsAsync(token);
        }

        var mover = users[0].Grain;
        int from = (await mover.GetProfileAsync(token)).Prototype!.Value;
        await worker.ScoreAsync(new ScoreRequest(tenant, "u0", $"warm-up [{tenant}]", [Feedback.Concise(1), Feedback.Verbose(1)]), token);
        for (int p = 0; p < 2; p++)
        {
            await fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, p)).GetSummaryAsync(token);
        }

        fixture.ClearCalls();

        // A user of group 0 starts judging like group 1 until it moves (a leave and a join reported), then is scored.
        int steps = 0;
        while ((await mover.GetProfileAsync(token)).Prototype == from && steps < 40)
        {
            Assert.Equal(FeedbackStatus.Applied, (await mover.ApplyFeedbackAsync(Item(tenant, 1, next++), token)).Status);
            steps++;
        }

        await mover.FlushReportsAsync(token);
        for (int i = 0; i < Requests; i++)
        {
            await worker.ScoreAsync(new ScoreRequest(tenant, "u0", $"Score query {i} [{tenant}]", [Feedback.Concise(i), Feedback.Verbose(i)]), token);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE move: {steps} feedback items moved the user; tenant-grain calls: {fixture.CallsTo(tenantKey).Count}");
        Assert.NotEqual(from, (await mover.GetProfileAsync(token)).Prototype);
        Assert.Empty(fixture.CallsTo(tenantKey));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Feedback_IsAcknowledgedWhileASlowReclusteringPassIsHeld()
    {
        const int Held = 6;
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(Prototypes: 2, ReclusterAfterMoves: 1000, ReclusterPeriod: TimeSpan.FromHours(1)), token);
        string tenantKey = GrainKeys.Tenant(tenant);
        var (users, next) = await PlantedUsersAsync(tenant, token);

        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hooks = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<ReclusterHooks>()).ToList();
        hooks.ForEach(h => h.BeforeClustering = async (t, ct) =>
        {
            if (t == tenantKey)
            {
                entered.TrySetResult();
                await release.Task.WaitAsync(ct);
            }
        });
        try
        {
            // The admin's pass, held after it read the reservoirs.
            var pass = fixture.Client.GetGrain<ITenantGrain>(tenantKey).ReclusterAsync(token);
            await entered.Task.WaitAsync(token);

            // Feedback (and a score) while the pass is held: every item is acknowledged, the pass still waits.
            for (int i = 0; i < Held; i++)
            {
                var (grain, group) = users[i % users.Count];
                Assert.Equal(FeedbackStatus.Applied, (await grain.ApplyFeedbackAsync(Item(tenant, group, next++), token)).Status);
            }

            var score = await fixture.Client.GetGrain<IScoringWorker>(0).ScoreAsync(
                new ScoreRequest(tenant, "u1", $"Held? [{tenant}]", [Feedback.Concise(3), Feedback.Verbose(3)]), token);
            Assert.Equal(2, score.Rewards.Length);
            Assert.False(pass.IsCompleted);

            release.SetResult();
            var directory = await pass;
            Assert.Equal(1, directory.Version);
            Assert.Equal(2, directory.Centroids.Count);
            Assert.Equal(users.Count, directory.Counts.Sum());
        }
        finally
        {
            release.TrySetResult();
            hooks.ForEach(h => h.BeforeClustering = null);
        }
    }

    /// <summary>Four users in two planted groups (concise ≻ verbose and the reverse), three feedback items each, reports landed.</summary>
    private async Task<(List<(IUserGrain Grain, int Group)> Users, int Next)> PlantedUsersAsync(string tenant, CancellationToken token)
    {
        var users = Enumerable.Range(0, 4).Select(u => (Grain: fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, $"u{u}")), Group: u % 2)).ToList();
        int next = 0;
        foreach (var (grain, group) in users)
        {
            for (int i = 0; i < 3; i++)
            {
                await grain.ApplyFeedbackAsync(Item(tenant, group, next++), token);
            }

            await grain.FlushReportsAsync(token);
        }

        return (users, next);
    }

    private static FeedbackItem Item(string tenant, int group, int i)
    {
        var item = Feedback.Item(i, $"{tenant}-g{group}-{i}");
        return group == 0 ? item : item with { Chosen = item.Rejected, Rejected = item.Chosen };
    }
}

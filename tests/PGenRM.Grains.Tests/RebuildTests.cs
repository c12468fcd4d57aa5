using PGenRM.Grains.Abstractions;
using PGenRM.Testing;

namespace PGenRM.Grains.Tests;

/// <summary>The repair path: replaying a tenant's feedback logs reproduces its live item, prototype and population statistics.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class RebuildTests(ClusterFixture fixture)
{
    private const double Tolerance = 1e-6;

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Rebuild_FromTheFeedbackLogs_ReproducesTheLiveItemPrototypeAndPopulationStatistics()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), token);

        // Four users whose pairs overlap (user u judges pairs u..u+2 of five), and one rating set (three pairs in one entry).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async u =>
        {
            var user = User(tenant, u);
            for (int i = u; i < u + 3; i++)
            {
                Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(Feedback.Item(i % 5), token)).Status);
            }
        }));
        var ratings = new RatingsFeedback("r-1", Feedback.Query(1), [
            new RatedResponse(Feedback.Concise(1), null, 3), new RatedResponse(Feedback.Verbose(1), null, 0), new RatedResponse(Feedback.Concise(2), null, 2)],
            DateTimeOffset.UnixEpoch.AddHours(1));
        Assert.Equal(FeedbackStatus.Applied, (await User(tenant, 0).ApplyRatingsAsync(ratings, token)).Status);
        await fixture.FlushDerivedAsync(token);

        var items = new SortedSet<string>(StringComparer.Ordinal);
        for (int u = 0; u < 4; u++)
        {
            foreach (var f in (await User(tenant, u).ExportAsync(token)).Feedback)
            {
                items.Add(f.ChosenItemId);
                items.Add(f.RejectedItemId);
            }
        }

        // Prototype reports leave after the acknowledgment: wait until each user's are stored before reading the live sums.
        for (int u = 0; u < 4; u++)
        {
            await User(tenant, u).FlushReportsAsync(token);
        }

        var live = await ItemsAsync(tenant, items);
        var livePopulation = await Prototype(tenant).GetSummaryAsync(token);
        Assert.Equal(4, livePopulation.Members);
        Assert.Equal(3 * 4 + 3, live.Values.Sum(s => s.Wins));

        // A crash lost what an item had (reset here): the rebuild brings it back.
        await Item(tenant, items.First()).ResetAsync(token);
        Assert.Equal(0, (await Item(tenant, items.First()).GetStatsAsync(token)).Judgments);

        // Through the background job, as the route and `pgenrm rebuild` run it.
        var job = await fixture.Client.GetGrain<IRebuildGrain>(GrainKeys.Tenant(tenant)).StartAsync(token);
        var result = await WaitAsync(tenant, job.Id);

        Assert.Equal((RebuildState.Succeeded, (string?)null), (result.State, result.Error));
        Assert.Equal((4, 4, items.Count, 1, 13L), (result.Users, result.UsersReplayed, result.Items, result.Prototypes, result.Entries));
        var rebuilt = await ItemsAsync(tenant, items);
        foreach (string item in items)
        {
            var (a, b) = (live[item], rebuilt[item]);
            Assert.Equal((a.Wins, a.Losses), (b.Wins, b.Losses));
            Assert.Equal(a.Strength, b.Strength, Tolerance);
            Assert.Equal(a.FactorOffset, b.FactorOffset, (x, y) => Math.Abs(x - y) <= Tolerance);
            Assert.Equal(a.PrototypeTallies.OrderBy(t => t.Prototype), b.PrototypeTallies.OrderBy(t => t.Prototype));
            Assert.Equal(a.RecentJudges.Select(j => j.JudgeId).Order(StringComparer.Ordinal), b.RecentJudges.Select(j => j.JudgeId).Order(StringComparer.Ordinal));
            Assert.True(b.Version > a.Version, $"{item}: version {b.Version} after the rebuild, {a.Version} before; caches would keep the old statistics");
        }

        // Prototype 0 is the population before the first re-clustering: same members, centroid and spread.
        var population = await Prototype(tenant).GetSummaryAsync(token);
        Assert.Equal(livePopulation.Members, population.Members);
        Assert.Equal(livePopulation.Centroid, population.Centroid, (x, y) => Math.Abs(x - y) <= Tolerance);
        Assert.Equal(livePopulation.Spread, population.Spread, Tolerance);

        // Stored, not only applied: the items read back the same after deactivation.
        var first = Item(tenant, items.First());
        await fixture.Cluster.DeactivateAsync(first);
        Assert.Equal(rebuilt[items.First()].Strength, (await first.GetStatsAsync(token)).Strength);
    }

    /// <summary>Polls the job's status until it ends (it runs in the background; there is nothing to await).</summary>
    private async Task<RebuildJob> WaitAsync(string tenant, string id)
    {
        var grain = fixture.Client.GetGrain<IRebuildGrain>(GrainKeys.Tenant(tenant));
        while (true)
        {
            var job = await grain.GetAsync(id, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"job {id} vanished");
            if (job.State != RebuildState.Running)
            {
                return job;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private async Task<Dictionary<string, ItemStats>> ItemsAsync(string tenant, IEnumerable<string> items)
    {
        var result = new Dictionary<string, ItemStats>(StringComparer.Ordinal);
        foreach (string item in items)
        {
            result[item] = await Item(tenant, item).GetStatsAsync(TestContext.Current.CancellationToken);
        }

        return result;
    }

    private IUserGrain User(string tenant, int u) => fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, $"u{u}"));

    private IItemGrain Item(string tenant, string item) => fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(tenant, item));

    private IPrototypeGrain Prototype(string tenant) => fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0));
}

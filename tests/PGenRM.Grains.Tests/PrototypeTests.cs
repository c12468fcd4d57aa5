using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PGenRM.Core.Clustering;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>Prototype grains, tenant re-clustering and user membership, on the shared two-silo cluster and Azurite.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class PrototypeTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Nearest_NeverIncludesTheUser_AndHandlesNLargerThanThePrototype()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var prototype = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0));
        var random = new Random(7);
        var members = Enumerable.Range(0, 5).Select(i => Snapshot(tenant, $"u{i}", RandomVector(random, dimension), RandomVector(random, 256), 1)).ToList();

        // u1's key is u0's plus a little noise: u0's nearest neighbour, whatever the other random keys are.
        members[1] = members[1] with { Key = members[0].Key.Select(x => x + (0.01f * (float)random.NextDouble())).ToArray() };
        foreach (var member in members)
        {
            await prototype.UpsertMemberAsync(member, TestContext.Current.CancellationToken);
        }

        var three = await prototype.NearestAsync(members[0].Key, members[0].UserKey, 3, TestContext.Current.CancellationToken);
        Assert.Equal(3, three.Count);
        Assert.DoesNotContain(three, m => m.UserKey == members[0].UserKey);
        Assert.Equal(members[1].UserKey, three[0].UserKey);

        // n beyond the prototype: every other member, once, and still never the user itself.
        var all = await prototype.NearestAsync(members[0].Key, members[0].UserKey, 100, TestContext.Current.CancellationToken);
        Assert.Equal(members.Skip(1).Select(m => m.UserKey).Order(), all.Select(m => m.UserKey).Order());
        Assert.Empty(await prototype.NearestAsync(members[0].Key, members[0].UserKey, 0, TestContext.Current.CancellationToken));

        // Members without a sketch yet are compared on their schemes when the caller passes a scheme.
        var sketchless = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 1));
        var plain = Enumerable.Range(0, 3).Select(i => Snapshot(tenant, $"plain{i}", RandomVector(random, dimension), [], 1)).ToList();
        foreach (var member in plain)
        {
            await sketchless.UpsertMemberAsync(member, TestContext.Current.CancellationToken);
        }

        var byScheme = await sketchless.NearestAsync(plain[2].Scheme, plain[0].UserKey, 1, TestContext.Current.CancellationToken);
        Assert.Equal(plain[2].UserKey, byScheme.Single().UserKey);

        await Assert.ThrowsAsync<ArgumentException>(() => prototype.NearestAsync(members[0].Key, members[0].UserKey, -1, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => prototype.NearestAsync([float.NaN, 1], members[0].UserKey, 2, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => prototype.UpsertMemberAsync(Snapshot(tenant, "short", new float[dimension - 1], [], 1), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => prototype.UpsertMemberAsync(Snapshot(NewTenantId(), "elsewhere", new float[dimension], [], 1), TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Upsert_IsIdempotentBySequence_AndTheSumsFollowTheMembers()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var prototype = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0));
        var random = new Random(11);
        var a = Snapshot(tenant, "a", RandomVector(random, dimension), [], 1);
        var b = Snapshot(tenant, "b", RandomVector(random, dimension), [], 1);
        await prototype.UpsertMemberAsync(a, TestContext.Current.CancellationToken);
        await prototype.UpsertMemberAsync(b, TestContext.Current.CancellationToken);

        // A repeated or older snapshot changes nothing; a newer one replaces the member's contribution.
        var repeated = await prototype.UpsertMemberAsync(a with { Scheme = RandomVector(random, dimension) }, TestContext.Current.CancellationToken);
        AssertCentroid([a.Scheme, b.Scheme], repeated);
        var a2 = a with { Scheme = RandomVector(random, dimension), PairCount = 6, Sequence = 2 };
        var replaced = await prototype.UpsertMemberAsync(a2, TestContext.Current.CancellationToken);
        Assert.Equal(2, replaced.Members);
        AssertCentroid([a2.Scheme, b.Scheme], replaced);
        Assert.Equal((6 + b.PairCount) / 2.0, replaced.MeanPairCount, 9);

        var removed = await prototype.RemoveMemberAsync(b.UserKey, TestContext.Current.CancellationToken);
        var again = await prototype.RemoveMemberAsync(b.UserKey, TestContext.Current.CancellationToken);
        Assert.Equal(1, removed.Members);
        Assert.Equal(removed with { Centroid = again.Centroid }, again);
        AssertCentroid([a2.Scheme], again);
        Assert.Equal(0, again.Spread, 4);
        Assert.False(await prototype.IsMemberAsync(b.UserKey, TestContext.Current.CancellationToken));
        Assert.Equal(new[] { a.UserKey }, (await prototype.GetReservoirAsync(TestContext.Current.CancellationToken)).Members.Select(m => m.UserKey));

        // The state is stored: a fresh activation rebuilds the same sums.
        await fixture.Cluster.DeactivateAsync(prototype);
        AssertCentroid([a2.Scheme], await prototype.GetSummaryAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Recluster_SeparatesPlantedClusters_AndAUserFollowingTheOtherClusterMoves()
    {
        const int PerGroup = 3, Warm = 5;
        var (bank, _) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var tenantGrain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        await tenantGrain.CreateAsync(new TenantSettings(Prototypes: 2, CriteriaBankVersion: bank, ReclusterAfterMoves: 1000, ReclusterPeriod: TimeSpan.FromHours(1)), new string('a', 64), TestContext.Current.CancellationToken);
        fixture.InvalidateTenantCaches(tenant);

        // Planted clusters: group 0 prefers the concise answer, group 1 the verbose one.
        var users = Enumerable.Range(0, 2 * PerGroup).Select(u => (Grain: User(tenant, $"u{u}"), Group: u / PerGroup)).ToList();
        int next = 0;
        foreach (var (grain, group) in users)
        {
            for (int i = 0; i < Warm; i++)
            {
                await grain.ApplyFeedbackAsync(Item(group, next++), TestContext.Current.CancellationToken);
            }
        }

        // Version 0: everyone sits in the one prototype at the tenant prior.
        Assert.All(await ProfilesAsync(users), p => Assert.Equal(0, p.Prototype));
        Assert.Equal(users.Count, (await SummaryAsync(tenant, 0)).Members);

        var clock = Stopwatch.StartNew();
        var directory = await tenantGrain.ReclusterAsync(TestContext.Current.CancellationToken);
        clock.Stop();
        Assert.Equal(1, directory.Version);
        Assert.Equal(2, directory.Centroids.Count);
        Assert.Equal(users.Count, directory.Counts.Sum());
        fixture.InvalidateTenantCaches(tenant);

        // Each user moves itself on its next update.
        foreach (var (grain, group) in users)
        {
            await grain.ApplyFeedbackAsync(Item(group, next++), TestContext.Current.CancellationToken);
        }

        var profiles = await ProfilesAsync(users);
        var planted = users.Select(u => u.Group).ToArray();
        var assigned = profiles.Select(p => p.Prototype ?? -1).ToArray();
        double ari = ClusteringMetrics.AdjustedRandIndex(planted, assigned);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"MEASURE recluster: pass over {users.Count} members in {clock.Elapsed.TotalMilliseconds:F0} ms (client round trip); " +
            $"ARI(planted, prototype) = {ari:F3}; counts {string.Join("/", directory.Counts)}");
        Assert.Equal(1.0, ari, 9);
        await AssertConsistentAsync(tenant, users.Select(u => u.Grain).ToList(), profiles, 2);

        // A user of group 0 starts judging like group 1: it ends up in group 1's prototype.
        int from = assigned[0], to = assigned[PerGroup];
        var mover = users[0].Grain;
        int steps = 0;
        while ((await mover.GetProfileAsync(TestContext.Current.CancellationToken)).Prototype != to && steps < 40)
        {
            await mover.ApplyFeedbackAsync(Item(1, next++), TestContext.Current.CancellationToken);
            steps++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE move: {steps} opposite feedback items moved the user from prototype {from} to {to}");
        Assert.Equal(to, (await mover.GetProfileAsync(TestContext.Current.CancellationToken)).Prototype);
        Assert.False(await Prototype(tenant, from).IsMemberAsync(mover.GetPrimaryKeyString(), TestContext.Current.CancellationToken));

        // Reactivated, the user starts again from its prototype's centroid as prior: same prototype, same scheme.
        var before = await mover.GetProfileAsync(TestContext.Current.CancellationToken);
        await fixture.Cluster.DeactivateAsync(mover);
        var after = await mover.GetProfileAsync(TestContext.Current.CancellationToken);
        Assert.Equal(to, after.Prototype);
        for (int i = 0; i < before.Scheme.Length; i++)
        {
            Assert.Equal(before.Scheme[i], after.Scheme[i], 3);
        }

        await AssertConsistentAsync(tenant, users.Select(u => u.Grain).ToList(), await ProfilesAsync(users), 2);

        // Cold start in a clustered tenant: a user with no feedback is scored from the largest prototype's centroid (the
        // prototype it would join), says so, and joins nothing by being scored.
        var fresh = await fixture.Client.GetGrain<IScoringWorker>(0).ScoreAsync(
            new ScoreRequest(tenant, "fresh", "How should I sort a list?", ["Use sorted(xs).", "Sorting is a deep topic; let us review it at length."]),
            TestContext.Current.CancellationToken);
        Assert.True(fresh.IsColdStart);
        Assert.Null(fresh.Prototype);
        var schemes = await User(tenant, "fresh").GetSchemesAsync(new SchemeRequest([1f, 0f], 1, "seed"), TestContext.Current.CancellationToken);
        int largest = directory.Counts[0] >= directory.Counts[1] ? 0 : 1;
        Assert.Equal(Array.ConvertAll(directory.Centroids[largest], x => (double)x), schemes.Scheme);
        Assert.Equal(users.Count, (await SummaryAsync(tenant, 0)).Members + (await SummaryAsync(tenant, 1)).Members);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ReportedMoves_TriggerAPassAtTheThreshold()
    {
        var (bank, _) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var tenantGrain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        await tenantGrain.CreateAsync(new TenantSettings(Prototypes: 2, CriteriaBankVersion: bank, ReclusterAfterMoves: 4, ReclusterPeriod: TimeSpan.FromHours(1)), new string('b', 64), TestContext.Current.CancellationToken);
        fixture.InvalidateTenantCaches(tenant);

        // Each user's first feedback is a join, reported to the tenant; the fourth join runs a pass before it returns.
        for (int u = 0; u < 3; u++)
        {
            await User(tenant, $"u{u}").ApplyFeedbackAsync(Item(u % 2, u), TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, (await tenantGrain.GetDirectoryAsync(TestContext.Current.CancellationToken)).Version);
        await User(tenant, "u3").ApplyFeedbackAsync(Item(1, 3), TestContext.Current.CancellationToken);
        var directory = await tenantGrain.GetDirectoryAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, directory.Version);
        Assert.Equal(2, directory.Centroids.Count);
        Assert.Equal(4, directory.Counts.Sum());
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Feedback_ReportsToThePrototypeOnlyWhenTheSchemeMoved()
    {
        const int Count = 24;
        string tenant = NewTenantId();
        var user = User(tenant, "steady");
        for (int i = 0; i < Count; i++)
        {
            await user.ApplyFeedbackAsync(Item(0, i), TestContext.Current.CancellationToken);
        }

        // The reservoir version counts the snapshots the prototype applied (one member, nothing removed).
        var summary = await SummaryAsync(tenant, 0);
        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE reports: {summary.Version} prototype updates for {Count} feedback items of one consistent user");
        Assert.Equal(1, summary.Members);
        Assert.InRange(summary.MeanPairCount, Count - UserGrain.ReportEveryFeedback, Count); // the pair count is at most 8 feedback items stale
        Assert.True(summary.Version <= Count / 2, $"{summary.Version} prototype updates for {Count} feedback items");
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Delete_LeavesNothingOfTheUserInItsPrototype()
    {
        string tenant = NewTenantId();
        var keep = User(tenant, "keep");
        var gone = User(tenant, "gone");
        await keep.ApplyFeedbackAsync(Item(0, 1), TestContext.Current.CancellationToken);
        for (int i = 0; i < 2; i++)
        {
            await gone.ApplyFeedbackAsync(Item(1, 10 + i), TestContext.Current.CancellationToken);
        }

        // A tenant that was never created works on the version-0 directory: one prototype, index 0.
        var prototype = Prototype(tenant, 0);
        string goneKey = gone.GetPrimaryKeyString();
        Assert.True(await prototype.IsMemberAsync(goneKey, TestContext.Current.CancellationToken));
        Assert.Equal(2, (await prototype.GetSummaryAsync(TestContext.Current.CancellationToken)).Members);

        await gone.DeleteAsync(TestContext.Current.CancellationToken);

        Assert.False(await prototype.IsMemberAsync(goneKey, TestContext.Current.CancellationToken));
        var summary = await prototype.GetSummaryAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, summary.Members);
        Assert.DoesNotContain((await prototype.GetReservoirAsync(TestContext.Current.CancellationToken)).Members, m => m.UserKey == goneKey);
        Assert.Empty(await prototype.NearestAsync(new float[256], keep.GetPrimaryKeyString(), 10, TestContext.Current.CancellationToken));

        // Nothing in storage either: not in the prototype's blob, and no user blob.
        var blobs = new List<string>();
        string stored = "";
        await foreach (var blob in fixture.PrototypeContainer.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            if (blob.Name.Contains(tenant, StringComparison.Ordinal))
            {
                blobs.Add(blob.Name);
                stored += (await fixture.PrototypeContainer.GetBlobClient(blob.Name).DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString();
            }
        }

        Assert.Single(blobs);
        Assert.Contains(keep.GetPrimaryKeyString(), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(goneKey, stored, StringComparison.Ordinal);
        Assert.Empty(await StoredEntities.OfUserAsync(fixture.UserTable, goneKey, TestContext.Current.CancellationToken));
    }

    /// <summary>Feedback <paramref name="i"/> in the style of planted group 0 (concise ≻ verbose) or 1 (the reverse).</summary>
    private static FeedbackItem Item(int group, int i)
    {
        var item = Feedback.Item(i, $"g{group}-{i}");
        return group == 0 ? item : item with { Chosen = item.Rejected, Rejected = item.Chosen };
    }

    private static string NewTenantId() => "p-" + Guid.NewGuid().ToString("N")[..10];

    private static MemberSnapshot Snapshot(string tenant, string user, float[] scheme, float[] key, long sequence) =>
        new(GrainKeys.User(tenant, user), scheme, key, 3, sequence);

    private static float[] RandomVector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static void AssertCentroid(IReadOnlyList<float[]> schemes, PrototypeSummary summary)
    {
        Assert.Equal(schemes.Count, summary.Members);
        for (int i = 0; i < summary.Centroid.Length; i++)
        {
            Assert.Equal(schemes.Average(s => (double)s[i]), summary.Centroid[i], 4);
        }
    }

    /// <summary>Members over all prototypes = users; each user is a member exactly where its profile says; centroids are the members' mean.</summary>
    private async Task AssertConsistentAsync(string tenant, IReadOnlyList<IUserGrain> users, IReadOnlyList<UserProfile> profiles, int prototypes)
    {
        long total = 0;
        for (int p = 0; p < prototypes; p++)
        {
            var prototype = Prototype(tenant, p);
            var summary = await prototype.GetSummaryAsync(TestContext.Current.CancellationToken);
            var reservoir = await prototype.GetReservoirAsync(TestContext.Current.CancellationToken);
            total += summary.Members;
            Assert.Equal(summary.Members, reservoir.Members.Count); // fewer members than the reservoir holds: it holds them all
            if (summary.Members > 0)
            {
                AssertCentroid(reservoir.Members.Select(m => m.Scheme).ToList(), summary);
            }

            for (int u = 0; u < users.Count; u++)
            {
                Assert.Equal(profiles[u].Prototype == p, await prototype.IsMemberAsync(users[u].GetPrimaryKeyString(), TestContext.Current.CancellationToken));
            }
        }

        Assert.Equal(users.Count, total);
    }

    private async Task<(string Bank, int Dimension)> EvaluatorAsync()
    {
        var evaluator = await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<EvaluatorHost>().GetAsync(TestContext.Current.CancellationToken);
        return (evaluator.Features.Bank.Version, evaluator.Features.Dimension + evaluator.Model.FactorDimension);
    }

    private async Task<List<UserProfile>> ProfilesAsync(IEnumerable<(IUserGrain Grain, int Group)> users)
    {
        var profiles = new List<UserProfile>();
        foreach (var (grain, _) in users)
        {
            profiles.Add(await grain.GetProfileAsync(TestContext.Current.CancellationToken));
        }

        return profiles;
    }

    private Task<PrototypeSummary> SummaryAsync(string tenant, int index) => Prototype(tenant, index).GetSummaryAsync(TestContext.Current.CancellationToken);

    private IPrototypeGrain Prototype(string tenant, int index) => fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, index));

    private IUserGrain User(string tenant, string user) => fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, user));
}

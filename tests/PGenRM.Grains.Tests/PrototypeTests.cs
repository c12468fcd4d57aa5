using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Core.Clustering;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>Prototype grains, tenant re-clustering and user membership, on the shared two-silo cluster and Azurite.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class PrototypeTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Apply_JoinsMovesLeavesAndARetry_SumsEqualTheContributions_AndSurviveReactivation()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var ct = TestContext.Current.CancellationToken;
        var prototype = Prototype(tenant, 0);
        var random = new Random(11);
        var a = RandomVector(random, dimension);
        var b = RandomVector(random, dimension);
        var c = RandomVector(random, dimension);
        Assert.True(await prototype.ApplyAsync(Join(tenant, "a", a, 2, 1), ct));
        Assert.True(await prototype.ApplyAsync(Join(tenant, "b", b, 3, 2), ct));
        Assert.True(await prototype.ApplyAsync(Join(tenant, "c", c, 1, 3), ct));

        // a's scheme moves; b moves away (its leave); the update is retried (the same id): counted once.
        var a2 = RandomVector(random, dimension);
        var update = Delta(tenant, "a", (a, 2), (a2, 6), 4);
        Assert.True(await prototype.ApplyAsync(update, ct));
        Assert.True(await prototype.ApplyAsync(Delta(tenant, "b", (b, 3), null, 5), ct));
        Assert.False(await prototype.ApplyAsync(update, ct));

        var summary = await prototype.GetSummaryAsync(ct);
        AssertCentroid([a2, c], summary);
        Assert.Equal((6 + 1) / 2.0, summary.MeanPairCount, 9);
        Assert.Equal((3L, 1L, 5L), (summary.Joins, summary.Leaves, summary.Reports));
        Assert.Equal(new[] { "a", "c" }.Select(u => GrainKeys.User(tenant, u)), (await prototype.GetReservoirAsync(ct)).Members.Select(m => m.UserKey).Order());
        await Assert.ThrowsAsync<ArgumentException>(() => prototype.ApplyAsync(Join(NewTenantId(), "elsewhere", a, 1, 9), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => prototype.ApplyAsync(Join(tenant, "short", new float[dimension - 1], 1, 10), ct));

        // The state is stored: a fresh activation has the same sums and still knows the retried id.
        await fixture.Cluster.DeactivateAsync(prototype);
        var reloaded = await prototype.GetSummaryAsync(ct);
        AssertCentroid([a2, c], reloaded);
        Assert.Equal(summary.Spread, reloaded.Spread, 9);
        Assert.False(await prototype.ApplyAsync(update, ct));

        // Reset (the start of a rebuild) forgets every statistic.
        await prototype.ResetAsync(ct);
        Assert.Equal(0, (await prototype.GetSummaryAsync(ct)).Members);
        await fixture.Cluster.DeactivateAsync(prototype);
        Assert.Empty((await prototype.GetReservoirAsync(ct)).Members);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Apply_ReportsArrivingWithinTheWriteSpacing_RideOneWrite()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var ct = TestContext.Current.CancellationToken;
        var prototype = Prototype(tenant, 0);
        var random = new Random(12);
        var commits = new System.Collections.Concurrent.ConcurrentQueue<int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "pgenrm.derived.prototype.commit.size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => commits.Enqueue(size));
        Assert.True(await prototype.ApplyAsync(Join(tenant, "first", RandomVector(random, dimension), 1, 1), ct));
        listener.Start();

        // The first write just started the spacing: four reports sent together now wait for it and share the next
        // write (without the spacing the first of them would start a write alone and the other three ride the next).
        var applied = await Task.WhenAll(Enumerable.Range(2, 4).Select(i =>
            prototype.ApplyAsync(Join(tenant, $"u{i}", RandomVector(random, dimension), 1, i), ct)));

        Assert.All(applied, Assert.True);
        Assert.Contains(4, commits);
        Assert.Equal(5, (await prototype.GetSummaryAsync(ct)).Members);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Apply_UnderAStreamOfReports_ACallCompletesWithTheWriteThatCoversIt_NotWhenTheStreamStops()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var ct = TestContext.Current.CancellationToken;
        var prototype = Prototype(tenant, 0);
        var random = new Random(31);
        Assert.True(await prototype.ApplyAsync(Join(tenant, "first", RandomVector(random, dimension), 1, 1), ct));

        // Reports keep arriving, one every ~2 ms (several during every write): the call of the first one must complete
        // with the write that covers it. A grain that wrote until nothing was unwritten released no caller before the
        // stream stopped (the cap here); that starved 100,000 joining users past the 30 s response timeout.
        const int Cap = 1500;
        var first = prototype.ApplyAsync(Join(tenant, "u2", RandomVector(random, dimension), 1, 2), ct);
        var rest = new List<Task<bool>>();
        int sentBeforeFirstCompleted = 0;
        for (int i = 3; i < 3 + Cap && !first.IsCompleted; i++)
        {
            rest.Add(prototype.ApplyAsync(Join(tenant, $"u{i}", RandomVector(random, dimension), 1, i), ct));
            sentBeforeFirstCompleted++;
            await Task.Delay(2, ct);
        }

        Assert.True(await first);
        Assert.All(await Task.WhenAll(rest), Assert.True);
        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE stream: the first call completed after {sentBeforeFirstCompleted} later reports were sent");
        Assert.InRange(sentBeforeFirstCompleted, 1, Cap - 1);
        Assert.Equal(2 + sentBeforeFirstCompleted, (await prototype.GetSummaryAsync(ct)).Members);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Apply_AfterASecondWriterChangedTheBlob_ReappliesTheUnwrittenReports_NoneLostOrCountedTwice()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var ct = TestContext.Current.CancellationToken;
        var prototype = Prototype(tenant, 0);
        string key = prototype.GetPrimaryKeyString();
        var random = new Random(23);
        var reports = Enumerable.Range(1, 12).Select(i => Join(tenant, $"u{i}", RandomVector(random, dimension), i, i)).ToList();
        Assert.True(await prototype.ApplyAsync(reports[0], ct));
        Assert.True(await prototype.ApplyAsync(reports[1], ct));

        // A second writer (another activation that believed it owned the prototype) stores report 3 behind the grain's back.
        var blob = await BlobAsync(tenant);
        var download = await blob.DownloadContentAsync(ct);
        var storage = StorageSerializer();
        var theirs = PrototypeMembers.Load(storage.Deserialize<PrototypeState>(download.Value.Content)!, true, key, dimension);
        Assert.Equal(2, theirs.Count);
        Assert.True(theirs.Apply(reports[2]));
        await blob.UploadAsync(
            storage.Serialize(new PrototypeState { Format = PrototypeMembers.Format, Packed = theirs.Pack() }),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new() { IfMatch = download.Value.Details.ETag } },
            ct);

        // The grain's next write conflicts: it re-reads (reports 1–3) and re-applies its unwritten ones (4–12, sent at once
        // so that they ride on one group commit). Had it written over the blob, report 3 would be lost (11 members).
        Assert.All(await Task.WhenAll(reports.Skip(3).Select(r => prototype.ApplyAsync(r, ct))), Assert.True);

        var expected = new PrototypeMembers(key, dimension);
        reports.ForEach(r => expected.Apply(r));
        var stored = PrototypeMembers.Load(storage.Deserialize<PrototypeState>((await blob.DownloadContentAsync(ct)).Value.Content)!, true, key, dimension);
        Assert.Equal((12L, 12L, 0L, 12L, 78L), (stored.Count, stored.Joins, stored.Leaves, stored.Reports, stored.SumPairs));
        Assert.Equal(expected.SumSquares, stored.SumSquares, 9);
        Assert.Equal(expected.Sum.ToArray(), stored.Sum.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-9);

        // The activation's memory is what was stored (report 3 is known by its id), and so is a fresh activation's.
        Assert.Equal(12, (await prototype.GetSummaryAsync(ct)).Members);
        Assert.False(await prototype.ApplyAsync(reports[2], ct));
        await fixture.Cluster.DeactivateAsync(prototype);
        Assert.Equal(expected.Summary(0).Centroid, (await prototype.GetSummaryAsync(ct)).Centroid, (x, y) => Math.Abs(x - y) <= 1e-6);
        Assert.All(await Task.WhenAll(reports.Select(r => prototype.ApplyAsync(r, ct))), Assert.False);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Activate_AFormat1Blob_IsRefusedNamingTheStorageDoc_UntilReset()
    {
        var (_, dimension) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var ct = TestContext.Current.CancellationToken;
        var prototype = Prototype(tenant, 0);
        Assert.True(await prototype.ApplyAsync(Join(tenant, "a", RandomVector(new Random(5), dimension), 1, 1), ct));
        await fixture.Cluster.DeactivateAsync(prototype);

        // The blob as the member-list layout stored it (format 1: members with their schemes, the reservoir as a list).
        var old = new LegacyPrototypeState { Joined = 2, Version = 2 };
        old.Members["p/a"] = new LegacyPrototypeState.Member { Sequence = 1, Scheme = new byte[4 * dimension], PairCount = 3 };
        old.Members["p/b"] = new LegacyPrototypeState.Member { Sequence = 2, Scheme = new byte[4 * dimension], PairCount = 1 };
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(LegacyPrototypeState).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        var blob = await BlobAsync(tenant);
        await blob.UploadAsync(new Orleans.Storage.OrleansGrainStorageSerializer(serializer).Serialize(old), overwrite: true, ct);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => prototype.GetSummaryAsync(ct));
        Assert.Equal(
            $"Prototype {prototype.GetPrimaryKeyString()} is stored in format 1, this silo reads format {PrototypeMembers.Format}: reset the prototypes " +
            "(IPrototypeGrain.ResetAsync, or delete the prototypes container) and rebuild them from the feedback logs (docs/STORAGE.md, 'Prototypes').",
            e.Message);
        await Assert.ThrowsAsync<InvalidDataException>(() => prototype.ApplyAsync(Join(tenant, "c", new float[dimension], 1, 7), ct));

        // Reset is the way out: an empty prototype in the current format, stored.
        await prototype.ResetAsync(ct);
        await fixture.Cluster.DeactivateAsync(prototype);
        Assert.Equal(0, (await prototype.GetSummaryAsync(ct)).Members);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task StoredSize_IsTheSameWith10And10000Members()
    {
        var (_, dimension) = await EvaluatorAsync();
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(5);
        var scheme = RandomVector(random, dimension);
        var sketch = RandomVector(random, 256);
        async Task<(long Bytes, PrototypeSummary Summary)> FillAsync(int members)
        {
            string tenant = NewTenantId();
            var prototype = Prototype(tenant, 0);

            // Concurrent reports ride on shared writes (group commit); each call returns once its report is stored.
            for (int start = 0; start < members; start += 1000)
            {
                await Task.WhenAll(Enumerable.Range(start, Math.Min(1000, members - start)).Select(u =>
                    prototype.ApplyAsync(Join(tenant, $"user-{u:D6}", scheme, 4, u + 1) with { Snapshot = new MemberSnapshot(GrainKeys.User(tenant, $"user-{u:D6}"), scheme, sketch, 4, u + 1) }, ct)));
            }

            return (await BlobBytesAsync(tenant), await prototype.GetSummaryAsync(ct));
        }

        var (small, smallSummary) = await FillAsync(10);
        var (large, largeSummary) = await FillAsync(10_000);
        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE prototype blob: {small} bytes with 10 members, {large} bytes with 10,000");
        Assert.Equal(10, smallSummary.Members);
        Assert.Equal(10_000, largeSummary.Members);
        Assert.Equal(4, largeSummary.MeanPairCount, 9);
        Assert.Equal(small, large);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Recluster_SeparatesPlantedClusters_AndAUserFollowingTheOtherClusterMoves()
    {
        const int Warm = 5;
        int[] groups = [0, 0, 0, 0, 1, 1];
        var (bank, _) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var tenantGrain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        await tenantGrain.CreateAsync(new TenantSettings(Prototypes: 2, CriteriaBankVersion: bank, ReclusterAfterMoves: 1000, ReclusterPeriod: TimeSpan.FromHours(1)), new string('a', 64), TestContext.Current.CancellationToken);
        fixture.InvalidateTenantCaches(tenant);

        // Planted clusters: group 0 prefers the concise answer, group 1 the verbose one.
        var users = groups.Select((g, u) => (Grain: User(tenant, $"u{u}"), Group: g)).ToList();
        int next = 0;
        foreach (var (grain, group) in users)
        {
            for (int i = 0; i < Warm; i++)
            {
                await grain.ApplyFeedbackAsync(Item(group, next++), TestContext.Current.CancellationToken);
            }
        }

        // Version 0: everyone sits in the one prototype at the tenant prior.
        await FlushAsync(users.Select(u => u.Grain));
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

        await FlushAsync(users.Select(u => u.Grain));

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
        int from = assigned[0], to = assigned[^1];
        var mover = users[0].Grain;
        int steps = 0;
        while ((await mover.GetProfileAsync(TestContext.Current.CancellationToken)).Prototype != to && steps < 40)
        {
            await mover.ApplyFeedbackAsync(Item(1, next++), TestContext.Current.CancellationToken);
            steps++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"MEASURE move: {steps} opposite feedback items moved the user from prototype {from} to {to}");
        Assert.Equal(to, (await mover.GetProfileAsync(TestContext.Current.CancellationToken)).Prototype);
        await mover.FlushReportsAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain((await Prototype(tenant, from).GetReservoirAsync(TestContext.Current.CancellationToken)).Members, m => m.UserKey == mover.GetPrimaryKeyString());

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

        // Cold start in a clustered tenant: a user with no feedback is scored by the population scheme (Σθ / count over the
        // prototypes), says so, and joins nothing by being scored. The silo's population cache (5 s) may hold the sums
        // from before the moves above; a fresh silo would read these.
        fixture.InvalidateTenantCaches(tenant);
        var fresh = await fixture.Client.GetGrain<IScoringWorker>(0).ScoreAsync(
            new ScoreRequest(tenant, "fresh", "How should I sort a list?", ["Use sorted(xs).", "Sorting is a deep topic; let us review it at length."]),
            TestContext.Current.CancellationToken);
        Assert.True(fresh.IsColdStart);
        Assert.Null(fresh.Prototype);
        var schemes = await User(tenant, "fresh").GetSchemesAsync(new SchemeRequest([1f, 0f], 1, "seed"), TestContext.Current.CancellationToken);
        var population = PopulationCache.Of([await SummaryAsync(tenant, 0), await SummaryAsync(tenant, 1)])!;
        for (int i = 0; i < population.Length; i++)
        {
            Assert.Equal(population[i], schemes.Scheme[i], 5);
        }

        Assert.Equal(users.Count, (await SummaryAsync(tenant, 0)).Members + (await SummaryAsync(tenant, 1)).Members);

        // A new user who judges like the smaller group joins that group's prototype, not the largest.
        int small = directory.Counts[0] < directory.Counts[1] ? 0 : 1;
        Assert.Equal(to, small);
        var newcomer = User(tenant, "newcomer");
        await newcomer.ApplyFeedbackAsync(Item(1, next++), TestContext.Current.CancellationToken);
        Assert.Equal(small, (await newcomer.GetProfileAsync(TestContext.Current.CancellationToken)).Prototype);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Joins_CountedByThePrototype_TriggerABackgroundPassAtTheThreshold()
    {
        var (bank, _) = await EvaluatorAsync();
        string tenant = NewTenantId();
        var tenantGrain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        await tenantGrain.CreateAsync(new TenantSettings(Prototypes: 2, CriteriaBankVersion: bank, ReclusterAfterMoves: 4, ReclusterPeriod: TimeSpan.FromHours(1)), new string('b', 64), TestContext.Current.CancellationToken);
        fixture.InvalidateTenantCaches(tenant);
        var published = new TaskCompletionSource<(long Version, string Trigger)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hooks = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<ReclusterHooks>()).ToList();
        hooks.ForEach(h => h.Published = (t, version, trigger) =>
        {
            if (t == GrainKeys.Tenant(tenant))
            {
                published.TrySetResult((version, trigger));
            }
        });
        try
        {
            // Each user's first feedback is a join, counted by prototype 0; the fourth makes it ask the tenant (one-way).
            for (int u = 0; u < 3; u++)
            {
                var user = User(tenant, $"u{u}");
                await user.ApplyFeedbackAsync(Item(u % 2, u), TestContext.Current.CancellationToken);
                await user.FlushReportsAsync(TestContext.Current.CancellationToken);
            }

            Assert.Equal(0, (await tenantGrain.GetDirectoryAsync(TestContext.Current.CancellationToken)).Version);
            Assert.Equal(3, (await SummaryAsync(tenant, 0)).Joins);
            await User(tenant, "u3").ApplyFeedbackAsync(Item(1, 3), TestContext.Current.CancellationToken);
            await User(tenant, "u3").FlushReportsAsync(TestContext.Current.CancellationToken); // the join is stored and sent
            Assert.Equal((1, "moves"), await published.Task.WaitAsync(TestContext.Current.CancellationToken));
            var directory = await tenantGrain.GetDirectoryAsync(TestContext.Current.CancellationToken);
            Assert.Equal(1, directory.Version);
            Assert.Equal(2, directory.Centroids.Count);
            Assert.Equal(4, directory.Counts.Sum());
        }
        finally
        {
            hooks.ForEach(h => h.Published = null);
        }
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

        // The reservoir version counts the reports the prototype applied (one member, nothing removed).
        await user.FlushReportsAsync(TestContext.Current.CancellationToken);
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
        await FlushAsync([keep, gone]);
        Assert.Contains((await prototype.GetReservoirAsync(TestContext.Current.CancellationToken)).Members, m => m.UserKey == goneKey);
        Assert.Equal(2, (await prototype.GetSummaryAsync(TestContext.Current.CancellationToken)).Members);

        await gone.DeleteAsync(TestContext.Current.CancellationToken);

        var summary = await prototype.GetSummaryAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, summary.Members);
        Assert.Equal([keep.GetPrimaryKeyString()], (await prototype.GetReservoirAsync(TestContext.Current.CancellationToken)).Members.Select(m => m.UserKey));

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

    /// <summary>
    /// A restart keeps the user's scheme between prior-scale grid searches: the online update refits at the scale in force
    /// and the stored row carries it, so the activation resumes that fit instead of searching afresh (which picks another
    /// scale for this user).
    /// </summary>
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Reactivation_BetweenGridSearches_ResumesTheScaleInForce_AndTheScheme()
    {
        // arrange: 16 pairs one way (a grid search on each), then the user turns for 6 (online updates at the scale found
        // at pair 16)
        var (bank, _) = await EvaluatorAsync();
        string tenant = NewTenantId();
        await fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant))
            .CreateAsync(new TenantSettings(CriteriaBankVersion: bank), new string('a', 64), TestContext.Current.CancellationToken);
        fixture.InvalidateTenantCaches(tenant);
        var user = User(tenant, "turner");
        for (int i = 0; i < 22; i++)
        {
            await user.ApplyFeedbackAsync(Item(i < 16 ? 0 : 1, i), TestContext.Current.CancellationToken);
        }

        var before = await user.GetProfileAsync(TestContext.Current.CancellationToken);

        // act
        await fixture.Cluster.DeactivateAsync(user);
        var after = await user.GetProfileAsync(TestContext.Current.CancellationToken);

        // assert
        Assert.Equal(22, after.HistoryCount);
        Assert.Equal(before.PriorScale, after.PriorScale);
        for (int i = 0; i < before.Scheme.Length; i++)
        {
            Assert.Equal(before.Scheme[i], after.Scheme[i], 4);
        }
    }

    /// <summary>Feedback <paramref name="i"/> in the style of planted group 0 (concise ≻ verbose) or 1 (the reverse).</summary>
    private static FeedbackItem Item(int group, int i)
    {
        var item = Feedback.Item(i, $"g{group}-{i}");
        return group == 0 ? item : item with { Chosen = item.Rejected, Rejected = item.Chosen };
    }

    private static string NewTenantId() => "p-" + Guid.NewGuid().ToString("N")[..10];

    private static MembershipReport Join(string tenant, string user, float[] scheme, int pairs, long id) =>
        Delta(tenant, user, null, (scheme, pairs), id);

    /// <summary>The report from contribution <paramref name="old"/> to <paramref name="now"/> (null: not a member).</summary>
    private static MembershipReport Delta(string tenant, string user, (float[] Scheme, int Pairs)? old, (float[] Scheme, int Pairs)? now, long id)
    {
        var before = old ?? (new float[(now ?? old)!.Value.Scheme.Length], 0);
        var after = now ?? (new float[before.Scheme.Length], 0);
        string key = GrainKeys.User(tenant, user);
        return new MembershipReport(
            id,
            key,
            (now is null ? 0 : 1) - (old is null ? 0 : 1),
            after.Scheme.Zip(before.Scheme, (x, y) => x - y).ToArray(),
            after.Scheme.Sum(x => (double)x * x) - before.Scheme.Sum(x => (double)x * x),
            after.Pairs - before.Pairs,
            now is null ? null : new MemberSnapshot(key, after.Scheme, [], after.Pairs, id));
    }

    private async Task<long> BlobBytesAsync(string tenant)
    {
        long bytes = -1;
        await foreach (var blob in fixture.PrototypeContainer.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            if (blob.Name.Contains(tenant, StringComparison.Ordinal))
            {
                Assert.Equal(-1, bytes);
                bytes = blob.Properties.ContentLength ?? -1;
            }
        }

        return bytes;
    }

    /// <summary>The one blob of <paramref name="tenant"/>'s prototypes.</summary>
    private async Task<Azure.Storage.Blobs.BlobClient> BlobAsync(string tenant)
    {
        await foreach (var blob in fixture.PrototypeContainer.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            if (blob.Name.Contains(tenant, StringComparison.Ordinal))
            {
                return fixture.PrototypeContainer.GetBlobClient(blob.Name);
            }
        }

        throw new InvalidOperationException($"no prototype blob of {tenant}");
    }

    /// <summary>The silos' storage serializer (what the grain's blob holds).</summary>
    private Storage.PGenRMGrainStorageSerializer StorageSerializer() =>
        new(fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>());

    private static async Task FlushAsync(IEnumerable<IUserGrain> users)
    {
        foreach (var user in users)
        {
            await user.FlushReportsAsync(TestContext.Current.CancellationToken);
        }
    }

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
        await FlushAsync(users);
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
                Assert.Equal(profiles[u].Prototype == p, reservoir.Members.Any(m => m.UserKey == users[u].GetPrimaryKeyString()));
            }
        }

        Assert.Equal(users.Count, total);
    }

    private async Task<(string Bank, int Dimension)> EvaluatorAsync()
    {
        var evaluator = await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(TestContext.Current.CancellationToken);
        return (evaluator.Features.Bank.Version, evaluator.SchemeDimension);
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

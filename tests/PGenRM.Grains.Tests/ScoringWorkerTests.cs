using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Scoring through the worker on the Azurite cluster, checked against the library (CompactEvaluator, UserModel,
/// TestTimeScaler) fed the same evidence. Texts carry the test's tenant id, so no other test's cached embeddings or
/// item statistics are involved.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class ScoringWorkerTests(ClusterFixture fixture)
{
    /// <summary>
    /// The grain stores pair vectors as float32 and query embeddings as float16 (UserStatePacker) and holds exactly what it
    /// stores, while the library side here keeps doubles: rewards differ by ~1e-8. A wrong pool, judge or scheme moves
    /// them by far more than this.
    /// </summary>
    private const double Tolerance = 1e-6;

    private IScoringWorker Worker => fixture.Client.GetGrain<IScoringWorker>(0);

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Score_GivesTheLibraryRewards_WithoutNeighbours()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(N: 0), TestContext.Current.CancellationToken);
        string userKey = GrainKeys.User(tenant, "u");
        var (evaluator, host) = await EvaluatorAsync();
        var library = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        var user = fixture.Client.GetGrain<IUserGrain>(userKey);
        var texts = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            var item = Pair(tenant, i);
            Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(item, TestContext.Current.CancellationToken)).Status);

            // Every pair is on fresh items, so the grain saw them as unseen (b = 0, v = scale·u) too.
            var pair = await evaluator.EncodeAsync(item.Query, [item.Chosen, item.Rejected], cancellationToken: TestContext.Current.CancellationToken);
            library.Add(CompactEvaluator.Evidence(pair, Unseen(evaluator, pair.Candidates[0]), Unseen(evaluator, pair.Candidates[1])));
            texts.Add(item.Chosen);
            texts.Add(item.Rejected);
        }

        string query = $"Which of these answers is best? [{tenant}]";
        string[] candidates = [texts[0], texts[1], texts[6], texts[7], $"An answer nobody has judged yet. [{tenant}]"];
        foreach (int m in new[] { 1, 3 })
        {
            var response = await ScoreAsync(new ScoreRequest(tenant, "u", query, candidates, M: m), TestContext.Current.CancellationToken);

            var encoded = await evaluator.EncodeAsync(query, candidates, cancellationToken: TestContext.Current.CancellationToken);
            var views = await ViewsAsync(tenant, evaluator, encoded);
            var expected = evaluator.Evaluate(library, encoded, views, [], host.Scaling with { M = m, N = 0 }, ScoringWorker.SeedKey(userKey, query));

            AssertClose(expected.Rewards, response.Rewards);
            Assert.Equal(m, response.M);
            Assert.False(response.IsColdStart);
            Assert.Equal(TestTimeScaler.ArgMax(expected.Rewards), response.PreferredIndex);
            Assert.Equal(encoded.Candidates.Select(c => c.ItemId), response.ItemIds);
            Assert.Empty(response.Neighbours);
        }

        // The collaborative part was not trivially zero: the judged items carry learned strengths.
        Assert.NotEqual(0, (await ItemAsync(tenant, texts[0])).Strength);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Score_GivesTheLibraryRewards_WithTheItemsJudges()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(N: 4), TestContext.Current.CancellationToken);
        var (evaluator, host) = await EvaluatorAsync();
        string x = $"Use the built-in sort; it is one line. [{tenant}]";
        string y = $"Sorting has a long history, so let us first review many algorithms in depth before choosing one. [{tenant}]";
        string w = $"Write your own quicksort to understand it properly. [{tenant}]";

        // A judges X ≻ Y, then B judges X ≻ W: B's grain saw X with A's judgment already in it, so the library reads X then.
        // A judgment carries the judge's scheme before its pair: A's prior mean (the tenant has no member yet), and for B
        // the population scheme, which is A's reported scheme once A's join is flushed.
        var a = await JudgeAsync(tenant, "a", $"How should I sort a list? [{tenant}]", x, y, evaluator, null, evaluator.DefaultPrior().Mean);
        var xAfterA = await ItemAsync(tenant, x);
        var b = await JudgeAsync(tenant, "b", $"Best way to sort numbers? [{tenant}]", x, w, evaluator, xAfterA, a.After);

        string userKey = GrainKeys.User(tenant, "u");
        var library = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        var sketch = new double[JudgmentSketch.DefaultLength];
        for (int i = 0; i < 3; i++)
        {
            var item = Pair(tenant, i);
            await fixture.Client.GetGrain<IUserGrain>(userKey).ApplyFeedbackAsync(item, TestContext.Current.CancellationToken);
            var pair = await evaluator.EncodeAsync(item.Query, [item.Chosen, item.Rejected], cancellationToken: TestContext.Current.CancellationToken);
            library.Add(CompactEvaluator.Evidence(pair, Unseen(evaluator, pair.Candidates[0]), Unseen(evaluator, pair.Candidates[1])));
            JudgmentSketch.Add(sketch, pair.Candidates[0].ItemId, 1);
            JudgmentSketch.Add(sketch, pair.Candidates[1].ItemId, -1);
        }

        await fixture.Client.GetGrain<IUserGrain>(userKey).FlushReportsAsync(TestContext.Current.CancellationToken);

        string query = $"How do I sort a list of numbers? [{tenant}]";
        var response = await ScoreAsync(new ScoreRequest(tenant, "u", query, [x, y, w]), TestContext.Current.CancellationToken);

        // The library side as ScaledScorer.Margin runs it: individual schemes, then Fuse with each item's judges.
        var scaling = host.Scaling with { N = 4 };
        var encoded = await evaluator.EncodeAsync(query, [x, y, w], cancellationToken: TestContext.Current.CancellationToken);
        var views = await ViewsAsync(tenant, evaluator, encoded);
        var schemes = TestTimeScaler.IndividualSchemes(
            library.Scheme, library.Prior, library.Scale, library.HistoryEntries(), encoded.Embedding, scaling, evaluator.Model, ScoringWorker.SeedKey(userKey, query));
        Neighbour Judge((string Key, double[] Scheme, double[] Sketch, Dictionary<string, double> Judgments, double[] After) j) =>
            new(j.Key, j.Scheme, TensorPrimitives.CosineSimilarity(j.Sketch, sketch), j.Judgments) { Evidence = JudgmentSketch.Evidence(j.Sketch, sketch), Sketch = Array.ConvertAll(j.Sketch, v => (float)v) };
        var judges = encoded.Candidates
            .Select(c => (IReadOnlyList<Neighbour>)new[] { a, b }
                .Where(j => j.Judgments.ContainsKey(c.ItemId))
                .Select(Judge)
                .OrderByDescending(n => n.Similarity)
                .ThenBy(n => n.UserId, StringComparer.Ordinal)
                .ToList())
            .ToList();
        var candidates = encoded.Candidates.Select((c, i) => new Candidate(c.ItemId, c.Content, views[i])).ToList();

        // The pool: the other members of u's prototype as its reservoir holds them (their last reported schemes).
        var profile = await fixture.Client.GetGrain<IUserGrain>(userKey).GetProfileAsync(TestContext.Current.CancellationToken);
        var reservoir = await fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, profile.Prototype ?? 0))
            .GetReservoirAsync(TestContext.Current.CancellationToken);
        var known = new[] { a, b }.ToDictionary(j => j.Key, j => j.Judgments, StringComparer.Ordinal);
        var pool = reservoir.Members
            .Where(m => m.UserKey != userKey)
            .Select(m => new Neighbour(
                m.UserKey,
                Array.ConvertAll(m.Scheme, v => (double)v),
                TensorPrimitives.CosineSimilarity(Array.ConvertAll(m.Sketch, v => (double)v), sketch),
                known[m.UserKey].Where(e => encoded.Candidates.Any(c => c.ItemId == e.Key)).ToDictionary(e => e.Key, e => e.Value))
            {
                Evidence = JudgmentSketch.Evidence(Array.ConvertAll(m.Sketch, v => (double)v), sketch),
                Sketch = m.Sketch,
            })
            .OrderByDescending(n => n.Similarity)
            .ThenBy(n => n.UserId, StringComparer.Ordinal)
            .ToList();
        var expected = TestTimeScaler.Fuse(schemes, candidates, pool, scaling, judges);

        Assert.NotNull(expected.Prototype);
        AssertClose(expected.Rewards, response.Rewards);
        Assert.Equal(expected.Neighbours, response.Neighbours);
        // Listed are the judges who count: those with a positive agreement weight (NeighbourWeighting.Agreement: the sketch
        // cosine shrunk toward the agreement of the request's neighbours among themselves by the judging behind it).
        var poolAgreement = PoolAgreement.Of(pool.Concat(judges.SelectMany(j => j)));
        Assert.Equal(new[] { a, b }.Where(j => TestTimeScaler.AgreementWeight(Judge(j), scaling, poolAgreement) > 0).Select(j => j.Key).Order(StringComparer.Ordinal), response.Neighbours);
        Assert.Equal(expected.Agreement, response.Agreement, 9);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Score_MovesTowardWhatPrototypeMatesChose_BeforeTheUserJudgedIt()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(N: 4), TestContext.Current.CancellationToken);
        var c = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "c"));
        for (int i = 0; i < 3; i++)
        {
            await c.ApplyFeedbackAsync(Pair(tenant, i), TestContext.Current.CancellationToken);
        }

        // C prefers concise answers; the mates choose the long one, X, over the concise Y.
        string x = $"Great question! Sorting is a deep topic, and there are many algorithms worth reviewing at length first. [{tenant}]";
        string y = $"Use sorted(xs). [{tenant}]";
        var request = new ScoreRequest(tenant, "c", $"How do I sort a list in Python? [{tenant}]", [x, y]);
        var before = await ScoreAsync(request, TestContext.Current.CancellationToken);
        Assert.Empty(before.Neighbours);

        // The mates judged C's three pairs as C did (so their judgments agree with C's: the prototype level counts a
        // neighbour as far as it agrees, NeighbourWeighting.Agreement), then X over Y, which C has not judged.
        foreach (string mate in new[] { "a", "b" })
        {
            var grain = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, mate));
            for (int i = 0; i < 3; i++)
            {
                await grain.ApplyFeedbackAsync(Pair(tenant, i), TestContext.Current.CancellationToken);
            }

            var feedback = new FeedbackItem($"{mate}-1", $"Sorting in Python? ({mate}) [{tenant}]", x, y, null, null, 1, DateTimeOffset.UnixEpoch);
            await grain.ApplyFeedbackAsync(feedback, TestContext.Current.CancellationToken);
        }

        var after = await ScoreAsync(request, TestContext.Current.CancellationToken);
        var withoutPrototypeLevel = await ScoreAsync(request with { N = 0 }, TestContext.Current.CancellationToken);

        double marginBefore = before.Rewards[0] - before.Rewards[1];
        double marginAfter = after.Rewards[0] - after.Rewards[1];
        double marginAlone = withoutPrototypeLevel.Rewards[0] - withoutPrototypeLevel.Rewards[1];
        Assert.True(marginAfter > marginBefore, $"X − Y margin went from {marginBefore:F4} to {marginAfter:F4}; expected the mates' choice to raise it");
        Assert.True(marginAfter > marginAlone, $"with the prototype level {marginAfter:F4}, without {marginAlone:F4}; expected the mates' judgments to add");
        Assert.Equal([GrainKeys.User(tenant, "a"), GrainKeys.User(tenant, "b")], after.Neighbours);

        // The item tallies the mates' choices per prototype (one tally: after their four pairs both mates sit in prototype 0
        // of the version-0 directory).
        var stats = await ItemAsync(tenant, x);
        Assert.Equal(new PrototypeTally(0, 2, 0), Assert.Single(stats.PrototypeTallies));
    }

    /// <summary>
    /// A user's weight on item strength (θ = [w; p; δ], the weight 1 + δ) follows how its choices relate to other people's:
    /// a user who keeps choosing what the others rejected turns it negative, and then ranks a pair it never judged the
    /// other way round from a user who followed them. Which side the others chose alternates between a concise and a
    /// verbose answer, so the content part cannot tell the two users apart.
    /// </summary>
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Feedback_AgainstWhatOthersChose_TurnsTheWeightOnItemStrengthNegative_AndFlipsUnjudgedPairs()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(N: 0), token);
        FeedbackItem Choice(string id, int i, bool crowdSide)
        {
            var pair = Pair(tenant, i);
            // The crowd's side: the concise answer for even i, the verbose one for odd i.
            bool conciseWins = (i % 2 == 0) == crowdSide;
            return pair with { FeedbackId = id, Chosen = conciseWins ? pair.Chosen : pair.Rejected, Rejected = conciseWins ? pair.Rejected : pair.Chosen };
        }

        // arrange: three users judge ten pairs the crowd's way; then "z" judges the first eight against them, "f" with them
        foreach (string judge in new[] { "a", "b", "c" })
        {
            var grain = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, judge));
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(FeedbackStatus.Applied, (await grain.ApplyFeedbackAsync(Choice($"{judge}-{i}", i, crowdSide: true), token)).Status);
            }
        }

        await fixture.FlushDerivedAsync(token);
        var z = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "z"));
        var f = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "f"));
        for (int i = 0; i < 8; i++)
        {
            await z.ApplyFeedbackAsync(Choice($"z-{i}", i, crowdSide: false), token);
            await f.ApplyFeedbackAsync(Choice($"f-{i}", i, crowdSide: true), token);
        }

        // act: both score the two pairs only the crowd judged
        var zScheme = (await z.GetSchemesAsync(new SchemeRequest([1f], 1, "z"), token)).Scheme;
        var fScheme = (await f.GetSchemesAsync(new SchemeRequest([1f], 1, "f"), token)).Scheme;
        var preferred = new List<(int Z, int F)>();
        for (int i = 8; i < 10; i++)
        {
            var crowd = Choice($"score-{i}", i, crowdSide: true);
            string[] candidates = [crowd.Chosen, crowd.Rejected];
            var zResponse = await ScoreAsync(new ScoreRequest(tenant, "z", crowd.Query, candidates, N: 0), token);
            var fResponse = await ScoreAsync(new ScoreRequest(tenant, "f", crowd.Query, candidates, N: 0), token);
            preferred.Add((zResponse.PreferredIndex, fResponse.PreferredIndex));
        }

        // assert: z weighs item strength negatively, f about as the crowd does; z prefers the crowd's rejected answer
        Assert.True(1 + zScheme[^1] < 0, $"z's weight on item strength: {1 + zScheme[^1]:F3}");
        Assert.True(1 + fScheme[^1] > 0.5, $"f's weight on item strength: {1 + fScheme[^1]:F3}");
        Assert.Equal([(1, 0), (1, 0)], preferred);
    }

    /// <summary>
    /// The tenant's collaborative scale end to end: users report their collaborative criteria in their member snapshots
    /// (stored in the prototype's packed reservoir), the re-clustering pass sums them into the directory
    /// (CollaborativeScale.Tenant, each sample weighted by the members it stands for), and a user's next fit holds its
    /// collaborative stage at that scale (the profile says which).
    /// </summary>
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Recluster_SumsTheUsersCollaborativeCriteriaIntoTheTenantsScale_AndTheNextFitIsHeldThere()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(N: 0), token);
        var tenantGrain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        var prototype = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0));
        FeedbackItem Choice(string id, int i, bool crowdSide)
        {
            var pair = Pair(tenant, i);
            bool conciseWins = (i % 2 == 0) == crowdSide;
            return pair with { FeedbackId = id, Chosen = conciseWins ? pair.Chosen : pair.Rejected, Rejected = conciseWins ? pair.Rejected : pair.Chosen };
        }

        // arrange: "a" judges eight pairs first; then b and c judge them its way and y, z against it, so their pairs'
        // items were judged by someone else and their collaborative stage runs
        var a = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "a"));
        for (int i = 0; i < 8; i++)
        {
            await a.ApplyFeedbackAsync(Choice($"a-{i}", i, crowdSide: true), token);
        }

        await fixture.FlushDerivedAsync(token);
        var judges = new[] { ("b", true), ("c", true), ("y", false), ("z", false) }
            .Select(j => (Grain: fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, j.Item1)), Crowd: j.Item2)).ToList();
        foreach (var (grain, crowd) in judges)
        {
            for (int i = 0; i < 8; i++)
            {
                await grain.ApplyFeedbackAsync(Choice($"{grain.GetPrimaryKeyString()}-{i}", i, crowd), token);
            }
        }

        foreach (var grain in judges.Select(j => j.Grain).Append(a))
        {
            await grain.FlushReportsAsync(token);
        }

        var (evaluator, _) = await EvaluatorAsync();
        var grid = evaluator.Model.PriorScaleGrid;
        var summary = await prototype.GetSummaryAsync(token);
        await fixture.Cluster.DeactivateAsync(prototype); // the criteria are read back from the stored reservoir
        var reservoir = (await prototype.GetReservoirAsync(token)).Members;
        double weight = Math.Max(1.0, (double)summary.Members / reservoir.Count);
        double? expected = CollaborativeScale.Tenant(grid, reservoir.Select(m => ((IReadOnlyList<float>)(m.CollaborativeCriteria ?? []), weight)));

        // act
        var directory = await tenantGrain.ReclusterAsync(token);
        fixture.InvalidateTenantCaches(tenant);
        var z = judges[^1].Grain;
        await z.ApplyFeedbackAsync(Choice("z-8", 8, crowdSide: false), token);

        // assert: the four later judges reported criteria over the whole grid; the directory holds their weighted choice
        // and keeps it once stored; z's next fit was held at it
        Assert.Equal(5, summary.Members);
        Assert.Equal(4, reservoir.Count(m => m.CollaborativeCriteria is { Length: var n } && n == grid.Count));
        Assert.NotNull(expected);
        Assert.Equal(expected, directory.CollaborativeScale);
        await fixture.Cluster.DeactivateAsync(tenantGrain);
        var stored = await tenantGrain.GetDirectoryAsync(token);
        Assert.Equal(expected, stored.CollaborativeScale);
        Assert.Equal(expected, (await z.GetProfileAsync(token)).CollaborativeScale);

        // the prototypes' shrunk priors are stored with the directory, one per centroid
        Assert.Equal(directory.Centroids.Count, stored.Priors!.Count);
        Assert.Equal(directory.Priors!.SelectMany(p => p), stored.Priors.SelectMany(p => p));
        Assert.Equal(directory.Kappa, stored.Kappa);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Score_ColdStartUser_IsScoredFromThePopulationSchemeAndSaysSo()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), TestContext.Current.CancellationToken);
        var (evaluator, host) = await EvaluatorAsync();
        string x = $"Use a dictionary comprehension. [{tenant}]";
        string y = $"There are several considerations about dictionaries that we should discuss at length. [{tenant}]";
        await fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "judge"))
            .ApplyFeedbackAsync(new FeedbackItem("j-1", $"Invert a dict? [{tenant}]", x, y, null, null, 1, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        await fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "judge")).FlushReportsAsync(TestContext.Current.CancellationToken);

        string query = $"How do I invert a dictionary in Python? [{tenant}]";
        string[] candidates = [x, y, $"Loop over the items and swap keys and values. [{tenant}]"];
        var response = await ScoreAsync(new ScoreRequest(tenant, "newbie", query, candidates, M: 3, Explain: true), TestContext.Current.CancellationToken);

        var encoded = await evaluator.EncodeAsync(query, candidates, cancellationToken: TestContext.Current.CancellationToken);
        var views = await ViewsAsync(tenant, evaluator, encoded);
        string userKey = GrainKeys.User(tenant, "newbie");

        // Not clustered yet: the newbie's prior is the population scheme, Σθ / count over the prototypes' running sums (here
        // the judge's scheme, in prototype 0), not a zero scheme.
        var population = await fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0)).GetSummaryAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, population.Members);
        Assert.True(TensorPrimitives.Norm(population.Centroid) > 0);
        var prior = new DiagonalGaussian(Array.ConvertAll(population.Centroid, x => (double)x), evaluator.DefaultPrior().Precision);
        var expected = evaluator.Evaluate(new UserModel(prior, evaluator.Model), encoded, views, [], host.Scaling with { M = 3 }, ScoringWorker.SeedKey(userKey, query));

        Assert.True(response.IsColdStart);
        Assert.Equal(1, response.M); // no history to subsample: the prior's mean alone
        AssertClose(expected.Rewards, response.Rewards);
        Assert.Contains(response.Rewards, r => Math.Abs(r) > 1e-6);

        // With the judge's scheme as the prior and what it taught the items: X was chosen, Y rejected.
        Assert.True(response.Rewards[0] > response.Rewards[2] && response.Rewards[2] > response.Rewards[1], string.Join(", ", response.Rewards));
        var chain = response.Chain!;
        Assert.True(chain.Scaling.ColdStart);
        Assert.Equal(response.PreferredIndex, chain.PreferredIndex);
        Assert.Equal(response.Rewards, chain.Responses.Select(r => r.Reward));

        var compare = await Worker.CompareAsync(new ScoreRequest(tenant, "newbie", query, [x, y]), TestContext.Current.CancellationToken);
        Assert.Equal(1 / (1 + Math.Exp(-(compare.Score.Rewards[0] - compare.Score.Rewards[1]))), compare.Probability, 12);
        Assert.True(compare.Probability > 0.5);
        Assert.Equal(0, (await fixture.Client.GetGrain<IUserGrain>(userKey).GetProfileAsync(TestContext.Current.CancellationToken)).FeedbackCount);
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Delete_RemovesTheUserFromTheItemsRecentJudges()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), TestContext.Current.CancellationToken);
        string x = $"Short. [{tenant}]", y = $"Long and winding, with a lot of preamble first. [{tenant}]";
        var d = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "d"));
        var e = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "e"));
        await d.ApplyFeedbackAsync(new FeedbackItem("d-1", $"Q? [{tenant}]", x, y, null, null, 1, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        await e.ApplyFeedbackAsync(new FeedbackItem("e-1", $"Q? [{tenant}]", x, y, null, null, 1, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        Assert.Equal(2, (await ItemAsync(tenant, x)).RecentJudges.Count);

        await d.DeleteAsync(TestContext.Current.CancellationToken);

        foreach (string text in new[] { x, y })
        {
            var stats = await ItemAsync(tenant, text);
            Assert.Equal(GrainKeys.User(tenant, "e"), Assert.Single(stats.RecentJudges).JudgeId);
            Assert.Equal(2, stats.Judgments); // the tallies keep the deleted user's judgment as an anonymous count
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Score_RejectsBadRequestsNamingTheField()
    {
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(MaxCandidates: 2, MaxTextLength: 64), TestContext.Current.CancellationToken);
        async Task Rejects(ScoreRequest request, string field)
        {
            var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => Worker.ScoreAsync(request, TestContext.Current.CancellationToken));
            Assert.Contains(field, e.Message, StringComparison.Ordinal);
        }

        var ok = new ScoreRequest(tenant, "u", "Query?", ["a", "b"]);
        await Rejects(ok with { Candidates = [] }, "Candidates");
        await Rejects(ok with { Candidates = ["a", "b", "c"] }, "Candidates");
        await Rejects(ok with { Candidates = ["a", new string('b', 65)] }, "Candidates[1]");
        await Rejects(ok with { Query = new string('q', 65) }, "Query");
        await Rejects(ok with { Query = " " }, "Query");
        await Rejects(ok with { CandidateIds = ["only-one"] }, "CandidateIds");
        await Rejects(ok with { CandidateIds = ["a/b", null] }, "CandidateIds[0]");
        // The request limits (RequestLimits) are a client's mistake wherever they are checked, not a bug.
        Assert.Equal("m", (await Assert.ThrowsAsync<InvalidRequestException>(() => Worker.ScoreAsync(ok with { M = 0 }, TestContext.Current.CancellationToken))).Field);
        Assert.Equal("n", (await Assert.ThrowsAsync<InvalidRequestException>(() => Worker.ScoreAsync(ok with { N = 300 }, TestContext.Current.CancellationToken))).Field);
        await Rejects(ok with { User = "a/b" }, "User");
        var compare = await Assert.ThrowsAnyAsync<ArgumentException>(() => Worker.CompareAsync(ok with { Candidates = ["a"] }, TestContext.Current.CancellationToken));
        Assert.Contains("exactly two", compare.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Worker.ScoreAsync(ok with { Tenant = "no-such-tenant-" + tenant[2..] }, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Item_KeepsItsRecentJudgesBounded_AndCountsEveryJudgment()
    {
        // Scoring latency and the stored size of a full item are measured by bench/PGenRM.Grains.Bench (--scores) and
        // docs/STORAGE.md; here only what they rely on: the recent-judge list stops at its capacity, the tallies do not.
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), TestContext.Current.CancellationToken);
        string x = $"A popular answer. [{tenant}]", y = $"An unpopular answer. [{tenant}]";
        await Task.WhenAll(Enumerable.Range(0, ItemGrain.RecentJudgeCapacity + 2).Select(j =>
            fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, $"judge-{j}"))
                .ApplyFeedbackAsync(new FeedbackItem("j", $"Q? [{tenant}]", x, y, null, null, 1, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken)));

        var stats = await ItemAsync(tenant, x);
        Assert.Equal(ItemGrain.RecentJudgeCapacity, stats.RecentJudges.Count);
        Assert.Equal(ItemGrain.RecentJudgeCapacity + 2, stats.Wins);
        Assert.Equal(0, stats.Losses);
    }

    private static FeedbackItem Pair(string tag, int i) =>
        new($"f-{i}", $"{Feedback.Query(i)} [{tag}]", $"{Feedback.Concise(i)} [{tag}]", $"{Feedback.Verbose(i)} [{tag}]", null, null, 1, DateTimeOffset.UnixEpoch.AddMinutes(i));

    private static ItemView Unseen(CompactEvaluator evaluator, EncodedCandidate candidate) =>
        ItemView.Unseen(candidate.FactorPrior.Select(u => evaluator.Model.ItemFactorPriorScale * u).ToArray());

    private static ItemView View(CompactEvaluator evaluator, ItemStats stats, EncodedCandidate candidate) =>
        new(
            stats.Strength,
            candidate.FactorPrior.Select((u, k) => (evaluator.Model.ItemFactorPriorScale * u) + (stats.FactorOffset.Length > 0 ? stats.FactorOffset[k] : 0)).ToArray(),
            candidate.FactorPrior.Select(u => evaluator.Model.ItemFactorPriorScale * u).ToArray());

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"reward {i}: library {expected[i]:R}, worker {actual[i]:R}");
        }
    }

    private async Task<(CompactEvaluator Evaluator, SiloEvaluator Host)> EvaluatorAsync()
    {
        // The library side runs on a silo's own evaluator (same encoder, same embedding cache as that silo's grains).
        var host = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>();
        return (await host.GetAsync(TestContext.Current.CancellationToken), host);
    }

    /// <summary>Reads the item once the judgments posted so far are applied (the pipeline's lag is not what these tests check).</summary>
    private async Task<ItemStats> ItemAsync(string tenant, string text)
    {
        await fixture.FlushDerivedAsync(TestContext.Current.CancellationToken);
        return await fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(tenant, ItemIds.For(text))).GetStatsAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Scores once the judgments posted so far are applied, so the worker and the library read the same items.</summary>
    private async Task<ScoreResponse> ScoreAsync(ScoreRequest request, CancellationToken cancellationToken)
    {
        await fixture.FlushDerivedAsync(cancellationToken);
        return await Worker.ScoreAsync(request, cancellationToken);
    }

    private async Task<List<ItemView>> ViewsAsync(string tenant, CompactEvaluator evaluator, EncodedQuery encoded)
    {
        await fixture.FlushDerivedAsync(TestContext.Current.CancellationToken);
        var views = new List<ItemView>();
        foreach (var candidate in encoded.Candidates)
        {
            var stats = await fixture.Client.GetGrain<IItemGrain>(GrainKeys.Item(tenant, candidate.ItemId)).GetStatsAsync(TestContext.Current.CancellationToken);
            views.Add(View(evaluator, stats, candidate));
        }

        return views;
    }

    /// <summary>One user's single judgment chosen ≻ rejected, through the grain and in the library (scheme as the item keeps it: float).</summary>
    private async Task<(string Key, double[] Scheme, double[] Sketch, Dictionary<string, double> Judgments, double[] After)> JudgeAsync(
        string tenant, string user, string query, string chosen, string rejected, CompactEvaluator evaluator, ItemStats? chosenStats, double[] before)
    {
        string key = GrainKeys.User(tenant, user);
        await fixture.Client.GetGrain<IUserGrain>(key).ApplyFeedbackAsync(new FeedbackItem($"{user}-1", query, chosen, rejected, null, null, 1, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        await fixture.Client.GetGrain<IUserGrain>(key).FlushReportsAsync(TestContext.Current.CancellationToken); // its prototype report lands in the background
        var pair = await evaluator.EncodeAsync(query, [chosen, rejected], cancellationToken: TestContext.Current.CancellationToken);
        var model = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        var chosenView = chosenStats is null ? Unseen(evaluator, pair.Candidates[0]) : View(evaluator, chosenStats, pair.Candidates[0]);
        model.Add(CompactEvaluator.Evidence(pair, chosenView, Unseen(evaluator, pair.Candidates[1])));
        var sketch = new double[JudgmentSketch.DefaultLength];
        JudgmentSketch.Add(sketch, pair.Candidates[0].ItemId, 1);
        JudgmentSketch.Add(sketch, pair.Candidates[1].ItemId, -1);
        var judgments = new Dictionary<string, double>(StringComparer.Ordinal) { [pair.Candidates[0].ItemId] = 1, [pair.Candidates[1].ItemId] = -1 };
        return (key, Array.ConvertAll(before, x => (double)(float)x), sketch, judgments, Array.ConvertAll(model.Scheme, x => (double)(float)x));
    }
}

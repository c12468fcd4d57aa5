using System.Net;
using System.Text.Json;

namespace PGenRM.Api.Tests;

/// <summary>The README walk-through over real HTTP: create a tenant, send feedback, score, read the profile, export, delete.</summary>
[Collection(ApiCollection.Name)]
public sealed class WalkThroughTests(ApiFixture api)
{
    private const string Query = "How do I reverse a list in Python?";
    private const string Concise = "Use xs[::-1] or list(reversed(xs)); xs.reverse() reverses in place.";
    private const string Rambling = "Lists are an interesting topic. There are many ways to think about ordering in general, and it depends.";

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task WalkThrough_FeedbackStatedPreferenceProfileExportDelete()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("walk", null, ct);

        var first = await api.SendAsync(HttpMethod.Post, "/v1/tenants/walk/users/alice/feedback", key,
            new { id = "f1", query = Query, chosen = Concise, rejected = Rambling });
        Assert.True(first.Status == HttpStatusCode.OK, first.Raw);
        Assert.Equal("applied", first.Body.GetProperty("status").GetString());
        Assert.Equal(1, first.Body.GetProperty("feedbackCount").GetInt64());

        var again = await api.SendAsync(HttpMethod.Post, "/v1/tenants/walk/users/alice/feedback", key,
            new { id = "f1", query = Query, chosen = Concise, rejected = Rambling });
        Assert.Equal("duplicate", again.Body.GetProperty("status").GetString());
        Assert.Equal(1, again.Body.GetProperty("feedbackCount").GetInt64());

        var batch = await api.SendAsync(HttpMethod.Post, "/v1/tenants/walk/feedback/batch", key, new
        {
            items = new object[]
            {
                new { user = "alice", id = "f2", query = "Explain recursion.", chosen = "A function calling itself on a smaller input until a base case.", rejected = "Recursion is a deep philosophical idea with a long history." },
                new { user = "bob", id = "b1", query = Query, chosen = Rambling, rejected = Concise },
                new { user = "alice", id = "f1", query = Query, chosen = Concise, rejected = Rambling },
            },
        });
        Assert.True(batch.Status == HttpStatusCode.OK, batch.Raw);
        var results = batch.Body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["applied", "applied", "duplicate"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["alice", "bob", "alice"], results.Select(r => r.GetProperty("user").GetString()));

        var stated = await api.SendAsync(HttpMethod.Put, "/v1/tenants/walk/users/alice/stated-preference", key,
            new { text = "I like short, direct answers with code." });
        Assert.True(stated.Status == HttpStatusCode.OK, stated.Raw);
        Assert.True(stated.Body.GetProperty("hasStatedPreference").GetBoolean());

        var profile = await api.SendAsync(HttpMethod.Get, "/v1/tenants/walk/users/alice/profile", key);
        Assert.True(profile.Status == HttpStatusCode.OK, profile.Raw);
        Assert.Equal(2, profile.Body.GetProperty("feedbackCount").GetInt64());
        Assert.False(profile.Body.GetProperty("coldStart").GetBoolean());
        var scenarios = profile.Body.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.NotEmpty(scenarios);
        foreach (var scenario in scenarios)
        {
            Assert.False(string.IsNullOrWhiteSpace(scenario.GetProperty("persona").GetString()));
            var weights = scenario.GetProperty("rubric").EnumerateArray().Select(r => r.GetProperty("weight").GetInt32()).ToList();
            Assert.NotEmpty(weights);
            Assert.Equal(100, weights.Sum());
        }

        var export = await api.SendAsync(HttpMethod.Get, "/v1/tenants/walk/users/alice/export", key);
        Assert.True(export.Status == HttpStatusCode.OK, export.Raw);
        Assert.Equal(["f1", "f2"], export.Body.GetProperty("feedback").EnumerateArray().Select(f => f.GetProperty("feedbackId").GetString()));
        Assert.Equal("I like short, direct answers with code.", export.Body.GetProperty("statedPreference").GetString());

        var deleted = await api.SendAsync(HttpMethod.Delete, "/v1/tenants/walk/users/alice", key);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        var gone = await api.SendAsync(HttpMethod.Get, "/v1/tenants/walk/users/alice/profile", key);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Contains("alice", gone.Body.GetProperty("detail").GetString());
        var bob = await api.SendAsync(HttpMethod.Get, "/v1/tenants/walk/users/bob/profile", key);
        Assert.Equal(HttpStatusCode.OK, bob.Status);
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Feedback_Ratings_AreAppliedOnceByTheirId()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("ratings", null, ct);
        var body = new
        {
            id = "r1",
            query = Query,
            ratings = new object[]
            {
                new { text = Concise, rating = 5 },
                new { text = Rambling, rating = 1 },
                new { text = "No idea.", itemId = "idk", rating = 2 },
            },
        };
        var first = await api.SendAsync(HttpMethod.Post, "/v1/tenants/ratings/users/rita/feedback", key, body);
        Assert.True(first.Status == HttpStatusCode.OK, first.Raw);
        Assert.Equal("applied", first.Body.GetProperty("status").GetString());
        var again = await api.SendAsync(HttpMethod.Post, "/v1/tenants/ratings/users/rita/feedback", key, body);
        Assert.Equal("duplicate", again.Body.GetProperty("status").GetString());
        var profile = await api.SendAsync(HttpMethod.Get, "/v1/tenants/ratings/users/rita/profile", key);
        Assert.False(profile.Body.GetProperty("coldStart").GetBoolean());
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Score_ReturnsRewardsPreferredIndexChainAndVersions()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("scoring", null, ct);
        for (int i = 0; i < 3; i++)
        {
            var fb = await api.SendAsync(HttpMethod.Post, "/v1/tenants/scoring/users/carol/feedback", key,
                new { id = $"s{i}", query = $"{Query} ({i})", chosen = Concise, rejected = Rambling });
            Assert.True(fb.Status == HttpStatusCode.OK, fb.Raw);
        }

        var score = await api.SendAsync(HttpMethod.Post, "/v1/tenants/scoring/users/carol/score", key,
            new { query = Query, candidates = new[] { Rambling, Concise, "No idea." }, explain = true });
        Assert.True(score.Status == HttpStatusCode.OK, score.Raw);
        var rewards = score.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(3, rewards.Count);
        Assert.All(rewards, r => Assert.True(double.IsFinite(r)));
        int preferred = score.Body.GetProperty("preferredIndex").GetInt32();
        Assert.Equal(rewards.IndexOf(rewards.Max()), preferred);
        // Trained three times on concise over rambling: the concise answer (index 1) wins, and beats the rambling one.
        Assert.Equal(1, preferred);
        Assert.True(rewards[1] > rewards[0], string.Join(", ", rewards));
        Assert.False(score.Body.GetProperty("coldStart").GetBoolean());
        Assert.False(string.IsNullOrEmpty(score.Body.GetProperty("modelVersion").GetString()));
        Assert.Equal("criteria-v1", score.Body.GetProperty("criteriaBankVersion").GetString());
        var chain = score.Body.GetProperty("chain");
        Assert.Equal(1, chain.GetProperty("preferredIndex").GetInt32());
        Assert.Equal(rewards, chain.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("reward").GetDouble()));
        Assert.Equal(100, chain.GetProperty("rubric").EnumerateArray().Sum(r => r.GetProperty("weightPercent").GetInt32()));

        var cold = await api.SendAsync(HttpMethod.Post, "/v1/tenants/scoring/users/newcomer/score", key,
            new { query = Query, candidates = new[] { Rambling, Concise } });
        Assert.True(cold.Status == HttpStatusCode.OK, cold.Raw);
        Assert.True(cold.Body.GetProperty("coldStart").GetBoolean());
        Assert.False(cold.Body.TryGetProperty("chain", out _));

        var compare = await api.SendAsync(HttpMethod.Post, "/v1/tenants/scoring/users/carol/compare", key,
            new { query = Query, candidates = new[] { Concise, Rambling } });
        Assert.True(compare.Status == HttpStatusCode.OK, compare.Raw);
        double p = compare.Body.GetProperty("probability").GetDouble();
        Assert.InRange(p, 0, 1);
        var pair = compare.Body.GetProperty("score").GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(p > 0.5, pair[0] > pair[1]);
        Assert.True(p > 0.5, $"P(concise over rambling) = {p}");
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task GetReward_AnswersOneRewardPerQuery_InOpenRlhfShape()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("rlhf", null, ct);
        var fb = await api.SendAsync(HttpMethod.Post, "/v1/tenants/rlhf/users/u1/feedback", key,
            new { id = "r1", query = Query, chosen = Concise, rejected = Rambling });
        Assert.True(fb.Status == HttpStatusCode.OK, fb.Raw);

        // The items learn from the feedback shortly after its acknowledgment: let them, so both calls below see the same items.
        await api.FlushDerivedAsync(ct);

        // OpenRLHF style: full prompt+response strings, the prompts, and the user in "labels".
        var withPrompts = await api.SendAsync(HttpMethod.Post, "/get_reward", key, new
        {
            query = new[] { Query + Concise, Query + Rambling, "Other prompt? " + Concise },
            prompts = new[] { Query, Query, "Other prompt? " },
            labels = new[] { "u1", "u1", "u2" },
        });
        Assert.True(withPrompts.Status == HttpStatusCode.OK, withPrompts.Raw);
        // OpenRLHF reads "rewards"; "fallback" flags a reward the compact evaluator gave in place of a failed judge.
        Assert.Equal(["rewards", "fallback"], withPrompts.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal([false, false, false], withPrompts.Body.GetProperty("fallback").EnumerateArray().Select(f => f.GetBoolean()));
        var rewards = withPrompts.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(3, rewards.Count);
        Assert.All(rewards, r => Assert.True(double.IsFinite(r)));

        // No prompts: split at the configured separator; one user for all; the key as ?api_key= (OpenRLHF sets no headers).
        var split = await api.SendAsync(HttpMethod.Post, $"/get_reward?api_key={Uri.EscapeDataString(key)}", null, new
        {
            query = new[] { Query + "\n\nAssistant:" + Concise, Query + "\n\nAssistant:" + Rambling },
            user_id = "u1",
        });
        Assert.True(split.Status == HttpStatusCode.OK, split.Raw);
        var splitRewards = split.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(2, splitRewards.Count);
        // The same user, prompt and responses as the first two above give the same rewards.
        Assert.Equal(rewards[0], splitRewards[0], 6);
        Assert.Equal(rewards[1], splitRewards[1], 6);
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Prototypes_AfterARecluster_ListAndMapTheMembers()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("protos", new { prototypes = 2 }, ct);
        string[] users = ["p1", "p2", "p3", "p4"];
        for (int i = 0; i < users.Length; i++)
        {
            // Two users who like concise answers, two who like the long ones.
            bool concise = i < 2;
            var fb = await api.SendAsync(HttpMethod.Post, $"/v1/tenants/protos/users/{users[i]}/feedback", key,
                new { id = "f", query = Query, chosen = concise ? Concise : Rambling, rejected = concise ? Rambling : Concise });
            Assert.True(fb.Status == HttpStatusCode.OK, fb.Raw);
        }

        // Memberships reach the prototypes after the acknowledgment (within UserGrain.MembershipWriteDelay): store them now.
        await api.FlushReportsAsync("protos", users, ct);
        var pass = await api.SendAsync(HttpMethod.Post, "/v1/tenants/protos/prototypes/recluster", key);
        Assert.True(pass.Status == HttpStatusCode.OK, pass.Raw);
        Assert.True(pass.Body.GetProperty("centroidVersion").GetInt64() >= 1, pass.Raw);

        var list = await api.SendAsync(HttpMethod.Get, "/v1/tenants/protos/prototypes", key);
        Assert.True(list.Status == HttpStatusCode.OK, list.Raw);
        var prototypes = list.Body.GetProperty("prototypes").EnumerateArray().ToList();
        Assert.InRange(prototypes.Count, 1, 2);

        var map = await api.SendAsync(HttpMethod.Get, "/v1/tenants/protos/prototypes/map", key);
        Assert.True(map.Status == HttpStatusCode.OK, map.Raw);
        var points = map.Body.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(prototypes.Count, points.Count);
        Assert.All(points, p => Assert.True(double.IsFinite(p.GetProperty("x").GetDouble()) && double.IsFinite(p.GetProperty("y").GetDouble())));
        Assert.Equal(users.Length, points.Sum(p => p.GetProperty("size").GetInt64()));
        Assert.Equal(2, map.Body.GetProperty("explainedVariance").GetArrayLength());
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task HealthAndMetrics_Answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var live = await api.SendAsync(HttpMethod.Get, "/health/live", null);
        Assert.Equal(HttpStatusCode.OK, live.Status);
        var ready = await api.SendAsync(HttpMethod.Get, "/health/ready", null);
        Assert.True(ready.Status == HttpStatusCode.OK, ready.Raw);
        Assert.Equal("ready", ready.Body.GetProperty("status").GetString());

        // One scored feedback makes our counters and the encoder's appear; Orleans' meter is there from the start.
        string key = await api.CreateTenantAsync("metrics", null, ct);
        await api.SendAsync(HttpMethod.Post, "/v1/tenants/metrics/users/m/feedback", key, new { id = "m1", query = Query, chosen = Concise, rejected = Rambling });
        var metrics = await api.SendAsync(HttpMethod.Get, "/metrics", null);
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("pgenrm_feedback", metrics.Raw);
        Assert.Contains("pgenrm_encoder_batch_size", metrics.Raw);
        Assert.Contains("pgenrm_encoder_cache_hit_ratio", metrics.Raw);
        Assert.Contains("orleans_", metrics.Raw);
    }
}

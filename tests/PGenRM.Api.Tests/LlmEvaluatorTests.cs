using System.Net;
using System.Text.Json;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>A tenant switched to the llm evaluator through the admin API scores through /score and /get_reward against the fake judge.</summary>
[Collection(ApiCollection.Name)]
public sealed class LlmEvaluatorTests(ApiFixture api)
{
    private const string Query = "How do I reverse a list in Python?";
    private const string Concise = "Use xs[::-1] or list(reversed(xs)).";
    private const string Rambling = "Lists are an interesting topic with a long history, and it depends.";

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task LlmTenant_ScoresWithTheModelsChain_AndFallsBackOnlyWhenAllowed()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("llm-e2e", null, ct);
        var fed = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-e2e/users/u1/feedback", key,
            new { id = "f1", query = "How do I sort a dict by value?", chosen = "sorted(d.items(), key=lambda kv: kv[1])", rejected = "Dictionaries are unordered in old Pythons, so..." });
        Assert.True(fed.Status == HttpStatusCode.OK, fed.Raw);

        // Only the admin key may switch the backend; bad values are a 400 naming the setting.
        var byTenant = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-e2e/settings", key, new { evaluator = "llm" });
        Assert.Equal(HttpStatusCode.Unauthorized, byTenant.Status);
        var bad = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-e2e/settings", ApiFixture.AdminKey, new { evaluator = "gpt" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("evaluator", bad.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noEndpoint = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-e2e/settings", ApiFixture.AdminKey, new { evaluator = "llm" });
        Assert.Equal(HttpStatusCode.BadRequest, noEndpoint.Status);

        var patched = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-e2e/settings", ApiFixture.AdminKey,
            new { evaluator = "llm", llmEndpoint = "fake", llmModel = "judge-e2e", m = 2 });
        Assert.True(patched.Status == HttpStatusCode.OK, patched.Raw);
        var settings = patched.Body.GetProperty("settings");
        Assert.Equal("llm", settings.GetProperty("evaluator").GetString());
        Assert.Equal(2, settings.GetProperty("m").GetInt32());
        Assert.DoesNotContain("fake-judge-secret", patched.Raw, StringComparison.Ordinal);

        api.Judge.Handler = (call, _) => FakeReply.Text(call.Response1 == Concise
            ? FakeChains.Valid(8, 3, persona: "E2E persona: wants one-liners.")
            : FakeChains.Valid(3, 8, persona: "E2E persona: wants one-liners."));
        int before = api.Judge.Calls.Count;
        var score = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-e2e/users/u1/score", key,
            new { query = Query, candidates = new[] { Concise, Rambling }, explain = true });
        Assert.True(score.Status == HttpStatusCode.OK, score.Raw);
        Assert.Equal("llm", score.Body.GetProperty("evaluator").GetString());
        Assert.False(score.Body.GetProperty("fallback").GetBoolean());
        Assert.Equal([8.0, 3.0], score.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()));
        Assert.Equal(0, score.Body.GetProperty("preferredIndex").GetInt32());
        var chain = score.Body.GetProperty("chain");
        Assert.Contains("E2E persona: wants one-liners.", chain.GetProperty("persona").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Directness", "Accuracy"], chain.GetProperty("rubric").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var trace = score.Body.GetProperty("llm");
        Assert.Equal(2, trace.GetProperty("individualChains").GetInt32());
        Assert.True(trace.GetProperty("inputTokens").GetInt64() > 0);

        // The model saw the user's own history pair (texts from IUserGrain.GetHistoryPairsAsync) and the tenant's model name.
        var calls = api.Judge.Calls.Skip(before).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Equal("judge-e2e", c.Model));
        Assert.All(calls, c => Assert.Contains("User: How do I sort a dict by value?", c.System, StringComparison.Ordinal));

        var reward = await api.SendAsync(HttpMethod.Post, "/get_reward", key, new
        {
            query = new[] { Query + Concise, Query + Rambling },
            prompts = new[] { Query, Query },
            user_id = "u1",
        });
        Assert.True(reward.Status == HttpStatusCode.OK, reward.Raw);
        Assert.Equal([8.0, 3.0], reward.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()));
        Assert.Equal([false, false], reward.Body.GetProperty("fallback").EnumerateArray().Select(r => r.GetBoolean()));

        // The judge failing is an error, not a reward, until the tenant allows the flagged fallback.
        api.Judge.Handler = (_, _) => FakeReply.Error(500);
        var failed = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-e2e/users/u1/score", key,
            new { query = "A new question?", candidates = new[] { Concise, Rambling } });
        Assert.Equal(HttpStatusCode.BadGateway, failed.Status);
        Assert.DoesNotContain("rewards", failed.Raw, StringComparison.Ordinal);

        var allow = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-e2e/settings", ApiFixture.AdminKey, new { llmFallback = true });
        Assert.True(allow.Status == HttpStatusCode.OK, allow.Raw);
        Assert.Equal("llm", allow.Body.GetProperty("settings").GetProperty("evaluator").GetString());
        var fallback = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-e2e/users/u1/score", key,
            new { query = "A new question?", candidates = new[] { Concise, Rambling } });
        Assert.True(fallback.Status == HttpStatusCode.OK, fallback.Raw);
        Assert.True(fallback.Body.GetProperty("fallback").GetBoolean());
        Assert.Equal("compact", fallback.Body.GetProperty("evaluator").GetString());
        Assert.Contains("500", fallback.Body.GetProperty("llm").GetProperty("error").GetString(), StringComparison.Ordinal);

        // Through /get_reward the substitute is flagged per query too: the compact rewards, each marked.
        var compactReward = await api.SendAsync(HttpMethod.Post, "/get_reward", key, new
        {
            query = new[] { "A new question?" + Concise, "A new question?" + Rambling },
            prompts = new[] { "A new question?", "A new question?" },
            user_id = "u1",
        });
        Assert.True(compactReward.Status == HttpStatusCode.OK, compactReward.Raw);
        Assert.Equal(
            fallback.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()),
            compactReward.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()));
        Assert.Equal([true, true], compactReward.Body.GetProperty("fallback").EnumerateArray().Select(r => r.GetBoolean()));
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task LlmTenant_OtherUsersJudgments_ShiftTheJudgesScoresAsTheyShiftTheCompactContentPart()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("llm-collab", null, ct);
        var pair = new { query = Query, candidates = new[] { Concise, Rambling }, m = 1, n = 0 };

        // The compact path before and after three other users judged these very texts Concise > Rambling: the difference
        // is the collaborative part Core's fusion adds. The scored user stated a preference first, so its scheme stays put:
        // it is placed, and its prior is its prototype's directory centroid (only a re-clustering changes it), not the
        // population scheme of a user with no data (which the three judges move); a stated preference leaves its factor
        // part at the prior's zero, as a user with no data has it.
        var own = await api.SendAsync(HttpMethod.Put, "/v1/tenants/llm-collab/users/w/stated-preference", key, new { text = "Short answers." });
        Assert.True(own.Status == HttpStatusCode.OK, own.Raw);
        var before = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-collab/users/w/score", key, pair);
        Assert.True(before.Status == HttpStatusCode.OK, before.Raw);
        foreach (string judge in new[] { "v1", "v2", "v3" })
        {
            var fed = await api.SendAsync(HttpMethod.Post, $"/v1/tenants/llm-collab/users/{judge}/feedback", key,
                new { id = "f1", query = Query, chosen = Concise, rejected = Rambling });
            Assert.True(fed.Status == HttpStatusCode.OK, fed.Raw);
        }

        // Items learn from the judgments after the acknowledgment (the silo's derived-statistics pipeline).
        await api.FlushDerivedAsync(ct);
        var after = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-collab/users/w/score", key, pair);
        Assert.True(after.Status == HttpStatusCode.OK, after.Raw);
        var shift = Rewards(after).Zip(Rewards(before), (x, y) => x - y).ToArray();
        Assert.True(shift[0] > shift[1], after.Raw);

        var patched = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-collab/settings", ApiFixture.AdminKey,
            new { evaluator = "llm", llmEndpoint = "fake", llmModel = "judge-collab", m = 1, n = 0 });
        Assert.True(patched.Status == HttpStatusCode.OK, patched.Raw);

        // The judge prefers Rambling by one point; the judgments move the rewards toward Concise by Core's amount.
        api.Judge.Handler = (call, _) => FakeReply.Text(call.Response1 == Concise ? FakeChains.Valid(5, 6) : FakeChains.Valid(6, 5));
        var score = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-collab/users/w/score", key, new { pair.query, pair.candidates, explain = true });
        Assert.True(score.Status == HttpStatusCode.OK, score.Raw);
        Assert.Equal("llm", score.Body.GetProperty("evaluator").GetString());
        // The judge's prompt quotes the user's stated preference (read from the user's state).
        Assert.Contains(api.Judge.Calls.Last().Messages, m => m.Content.Contains("Short answers.", StringComparison.Ordinal));
        var trace = score.Body.GetProperty("llm");
        var collaborative = trace.GetProperty("collaborative").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(shift[0], collaborative[0], 9);
        Assert.Equal(shift[1], collaborative[1], 9);
        var rewards = Rewards(score);
        Assert.Equal(5 + collaborative[0], rewards[0]);
        Assert.Equal(6 + collaborative[1], rewards[1]);
        Assert.Equal(rewards[0] > rewards[1] ? 0 : 1, score.Body.GetProperty("preferredIndex").GetInt32());
        double share = trace.GetProperty("collaborativeShare").GetDouble();
        Assert.InRange(share, 1e-9, 1);
        var scaling = score.Body.GetProperty("chain").GetProperty("scaling");
        Assert.Equal(share, scaling.GetProperty("collaborativeShare").GetDouble());
        Assert.Equal(1 - share, scaling.GetProperty("contentShare").GetDouble());

        // New texts nobody judged: exactly the judge's scores, no collaborative share.
        const string Fresh1 = "Call xs.reverse() to reverse in place.";
        const string Fresh2 = "Reversing is hard; consider not doing it.";
        api.Judge.Handler = (call, _) => FakeReply.Text(call.Response1 == Fresh1 ? FakeChains.Valid(7, 2) : FakeChains.Valid(2, 7));
        var fresh = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-collab/users/w/score", key,
            new { query = Query, candidates = new[] { Fresh1, Fresh2 } });
        Assert.True(fresh.Status == HttpStatusCode.OK, fresh.Raw);
        Assert.Equal([7.0, 2.0], Rewards(fresh));
        Assert.Equal(0.0, fresh.Body.GetProperty("llm").GetProperty("collaborativeShare").GetDouble());
        Assert.Equal([0.0, 0.0], fresh.Body.GetProperty("llm").GetProperty("collaborative").EnumerateArray().Select(x => x.GetDouble()));
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task LlmTenant_PrototypeLevel_NeighboursHistoriesConditionNMoreChains_FusedHalfAndHalf()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("llm-proto", null, ct);
        var histories = new Dictionary<string, string>
        {
            ["w"] = "Which editor should I use for Go?",
            ["v1"] = "How do I centre a div?",
            ["v2"] = "What is a monad, briefly?",
        };
        foreach (var (user, query) in histories)
        {
            var fed = await api.SendAsync(HttpMethod.Post, $"/v1/tenants/llm-proto/users/{user}/feedback", key,
                new { id = "f1", query, chosen = $"Short answer for {user}.", rejected = $"A long, winding answer for {user} that never ends." });
            Assert.True(fed.Status == HttpStatusCode.OK, fed.Raw);
        }

        // The neighbours come from the prototype's reservoir: their joins reach it after the acknowledgment.
        await api.FlushReportsAsync("llm-proto", histories.Keys, ct);
        var patched = await api.SendAsync(HttpMethod.Patch, "/v1/tenants/llm-proto/settings", ApiFixture.AdminKey,
            new { evaluator = "llm", llmEndpoint = "fake", llmModel = "judge-proto", m = 1, n = 2 });
        Assert.True(patched.Status == HttpStatusCode.OK, patched.Raw);

        // The user's own chain scores Concise 8, Rambling 3; a chain conditioned on a neighbour's history 2 and 9.
        api.Judge.Handler = (call, _) =>
        {
            bool own = call.System.Contains(histories["w"], StringComparison.Ordinal);
            var (concise, rambling) = own ? (8.0, 3.0) : (2.0, 9.0);
            return FakeReply.Text(call.Response1 == Concise ? FakeChains.Valid(concise, rambling) : FakeChains.Valid(rambling, concise));
        };
        int before = api.Judge.Calls.Count;
        var score = await api.SendAsync(HttpMethod.Post, "/v1/tenants/llm-proto/users/w/score", key,
            new { query = Query, candidates = new[] { Concise, Rambling } });
        Assert.True(score.Status == HttpStatusCode.OK, score.Raw);

        var calls = api.Judge.Calls.Skip(before).ToList();
        Assert.Single(calls, c => c.System.Contains(histories["w"], StringComparison.Ordinal));
        Assert.Single(calls, c => c.System.Contains(histories["v1"], StringComparison.Ordinal));
        Assert.Single(calls, c => c.System.Contains(histories["v2"], StringComparison.Ordinal));
        Assert.Equal(3, calls.Count);
        var trace = score.Body.GetProperty("llm");
        Assert.Equal(1, trace.GetProperty("individualChains").GetInt32());
        Assert.Equal(2, trace.GetProperty("prototypeChains").GetInt32());
        Assert.Equal(0.5, trace.GetProperty("individualWeight").GetDouble());
        Assert.Equal(["llm-proto/v1", "llm-proto/v2"], trace.GetProperty("neighbours").EnumerateArray().Select(x => x.GetString()).Order(StringComparer.Ordinal));

        // 0.5·8 + 0.5·2 and 0.5·3 + 0.5·9; nobody judged these texts, so the collaborative part adds nothing.
        Assert.Equal([5.0, 6.0], Rewards(score));
        Assert.Equal(1, score.Body.GetProperty("preferredIndex").GetInt32());
        Assert.Equal(0.0, trace.GetProperty("collaborativeShare").GetDouble());
    }

    private static double[] Rewards((HttpStatusCode Status, JsonElement Body, string Raw) reply) =>
        reply.Body.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToArray();
}

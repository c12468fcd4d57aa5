using System.Net;
using System.Text.Json;

namespace PGenRM.Api.Tests;

/// <summary>Every limit and bad input answers its 4xx with a message, never a 5xx and never a reward.</summary>
[Collection(ApiCollection.Name)]
public sealed class LimitTests(ApiFixture api)
{
    private static readonly object Pair = new { id = "p1", query = "Hello?", chosen = "Hi, how can I help?", rejected = "Go away." };

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Limits_AnswerTheirStatusAndNameTheProblem()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("limits", new { maxCandidates = 3, maxTextLength = 64, maxBatch = 2 }, ct);
        const string score = "/v1/tenants/limits/users/lee/score";

        var tooLarge = await api.SendAsync(HttpMethod.Post, score, key,
            new { query = "q", candidates = new[] { new string('x', ApiFixture.MaxBodyBytes) } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Contains($"{ApiFixture.MaxBodyBytes} bytes", Detail(tooLarge.Body));

        // Without a Content-Length (chunked), the limit is enforced while reading.
        using (var chunked = new HttpRequestMessage(HttpMethod.Post, score))
        {
            var payload = System.Text.Encoding.UTF8.GetBytes($"{{\"query\":\"q\",\"candidates\":[\"{new string('x', ApiFixture.MaxBodyBytes)}\"]}}");
            chunked.Content = new StreamContent(new NoLengthStream(payload));
            chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            chunked.Headers.Add("X-Api-Key", key);
            using var response = await api.Http.SendAsync(chunked, ct);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains($"{ApiFixture.MaxBodyBytes} bytes", await response.Content.ReadAsStringAsync(ct));
        }

        var tooMany = await api.SendAsync(HttpMethod.Post, score, key, new { query = "q", candidates = new[] { "a", "b", "c", "d" } });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Contains("'candidates'", Detail(tooMany.Body));
        Assert.False(tooMany.Body.TryGetProperty("rewards", out _));

        var tooLong = await api.SendAsync(HttpMethod.Post, score, key, new { query = new string('q', 65), candidates = new[] { "a" } });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("'query'", Detail(tooLong.Body));
        Assert.Contains("64", Detail(tooLong.Body));

        var longCandidate = await api.SendAsync(HttpMethod.Post, score, key, new { query = "q", candidates = new[] { "a", new string('c', 65) } });
        Assert.Contains("'candidates[1]'", Detail(longCandidate.Body));

        var bigBatch = await api.SendAsync(HttpMethod.Post, "/v1/tenants/limits/feedback/batch", key, new { items = new[] { Pair, Pair, Pair } });
        Assert.Equal(HttpStatusCode.BadRequest, bigBatch.Status);
        Assert.Contains("'items'", Detail(bigBatch.Body));

        var unknownUser = await api.SendAsync(HttpMethod.Get, "/v1/tenants/limits/users/nobody/profile", key);
        Assert.Equal(HttpStatusCode.NotFound, unknownUser.Status);
        Assert.Contains("nobody", Detail(unknownUser.Body));

        var syntax = await api.SendAsync(HttpMethod.Post, score, key, "{\"query\": \"q\", \"candidates\": [\"a\",}");
        Assert.Equal(HttpStatusCode.BadRequest, syntax.Status);
        Assert.Contains("'$.candidates", Detail(syntax.Body));

        var wrongType = await api.SendAsync(HttpMethod.Post, "/v1/tenants/limits/users/lee/feedback", key,
            "{\"id\":\"w\",\"query\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\",\"weight\":\"heavy\"}");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Contains("'$.weight'", Detail(wrongType.Body));

        var typo = await api.SendAsync(HttpMethod.Post, "/v1/tenants/limits/users/lee/feedback", key,
            "{\"id\":\"w\",\"query\":\"q\",\"chosen\":\"a\",\"rejectd\":\"b\"}");
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
        Assert.Contains("rejectd", Detail(typo.Body));

        var missing = await api.SendAsync(HttpMethod.Post, "/v1/tenants/limits/users/lee/feedback", key, new { id = "m", query = "q", chosen = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("'rejected'", Detail(missing.Body));

        var noUser = await api.SendAsync(HttpMethod.Post, "/get_reward", key, new { query = new[] { "q\n\nAssistant: a" } });
        Assert.Equal(HttpStatusCode.BadRequest, noUser.Status);
        Assert.False(noUser.Body.TryGetProperty("rewards", out _));
        Assert.Contains("query[0]", Detail(noUser.Body));

        var noSeparator = await api.SendAsync(HttpMethod.Post, "/get_reward", key, new { query = new[] { "no separator here" }, user_id = "lee" });
        Assert.Equal(HttpStatusCode.BadRequest, noSeparator.Status);
        Assert.Contains("separator", Detail(noSeparator.Body));
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task RateLimit_AboveTheTenantsRate_Answers429()
    {
        var ct = TestContext.Current.CancellationToken;
        // One token per 100 s: the bucket cannot refill between these requests however slow the machine is.
        string key = await api.CreateTenantAsync("slow", new { requestsPerSecond = 0.01 }, ct);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            statuses.Add((await api.SendAsync(HttpMethod.Get, "/v1/tenants/slow", key)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.All(statuses.Skip(1), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var limited = await api.SendAsync(HttpMethod.Get, "/v1/tenants/slow", key);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("'slow'", Detail(limited.Body));

        // Another tenant is not slowed down by this one.
        string other = await api.CreateTenantAsync("fast", null, ct);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/v1/tenants/fast", other)).Status);
    }

    /// <summary>Method, path, body; the exact status and a fragment of the problem's detail that names what is wrong.</summary>
    public static TheoryData<string, string, string, int, string> ClientMistakes => new()
    {
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"same\",\"query\":\"q\",\"chosen\":\"same text\",\"rejected\":\"same text\"}", 400, "chosen and rejected are the same item" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"r\",\"query\":\"q\",\"ratings\":[{\"text\":\"a\",\"rating\":1}]}", 400, "'ratings' must hold 2–16 rated responses, got 1." },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"r17\",\"query\":\"q\",\"ratings\":[{\"text\":\"r0\",\"rating\":0},{\"text\":\"r1\",\"rating\":1},{\"text\":\"r2\",\"rating\":2},{\"text\":\"r3\",\"rating\":3},{\"text\":\"r4\",\"rating\":4},{\"text\":\"r5\",\"rating\":5},{\"text\":\"r6\",\"rating\":6},{\"text\":\"r7\",\"rating\":7},{\"text\":\"r8\",\"rating\":8},{\"text\":\"r9\",\"rating\":9},{\"text\":\"r10\",\"rating\":10},{\"text\":\"r11\",\"rating\":11},{\"text\":\"r12\",\"rating\":12},{\"text\":\"r13\",\"rating\":13},{\"text\":\"r14\",\"rating\":14},{\"text\":\"r15\",\"rating\":15},{\"text\":\"r16\",\"rating\":16}]}", 400, "'ratings' must hold 2–16 rated responses, got 17." },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"a/b\",\"query\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}", 400, "'id' must be 1–256 characters" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "[]", 400, "Invalid JSON at the body" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "null", 400, "The request body is 'null'" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "", 400, "Invalid JSON at the body" },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[]}", 400, "'candidates' must hold 1–64 responses, got 0." },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[\"a\"],\"m\":0}", 400, "'m' must be between 1 and 64, got 0." },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[\"a\"],\"n\":257}", 400, "'n' must be between 0 and 256, got 257." },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[\"a\",\"b\"],\"candidateIds\":[\"x\"]}", 400, "'candidateIds' must hold one id (or null) per candidate" },
        { "POST", "/v1/tenants/mistakes/users/u/compare", "{\"query\":\"q\",\"candidates\":[\"a\"]}", 400, "'candidates' must hold exactly 2 responses to compare, got 1." },
        { "PUT", "/v1/tenants/mistakes/users/u/stated-preference", "{\"text\":\"\"}", 400, "'text' is required" },
        { "GET", "/v1/tenants/mistakes/users/u/export", "", 404, "User 'u' has no feedback or stated preference in tenant 'mistakes'." },
        { "DELETE", "/v1/tenants/mistakes/users/u", "", 404, "User 'u' has no feedback or stated preference in tenant 'mistakes'." },
        { "GET", "/v1/tenants/mistakes/no-such-route", "", 404, "No endpoint at GET /v1/tenants/mistakes/no-such-route." },
        { "POST", "/get_reward", "{\"query\":[\"p:r\"],\"prompts\":[\"x\"],\"user_id\":\"u\"}", 400, "'query[0]' does not start with 'prompts[0]'" },
        { "POST", "/get_reward", "{\"query\":[\"p\\n\\nAssistant: r\"],\"user_ids\":[\"u\",\"v\"]}", 400, "'user_ids' must hold one entry per query (1), got 2." },
    };

    [Theory(Timeout = TestTimeouts.Api)]
    [MemberData(nameof(ClientMistakes))]
    public async Task ClientMistakes_AnswerTheirStatusWithAProblemNamingTheField(string method, string path, string body, int status, string detail)
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await TenantKeyAsync(ct);
        var result = await api.SendAsync(new HttpMethod(method), path, key, body.Length == 0 && method != "POST" ? null : body);
        Assert.True((int)result.Status == status, $"{method} {path} {body}: {(int)result.Status} {result.Raw}");
        Assert.Equal(status, result.Body.GetProperty("status").GetInt32());
        Assert.Contains(detail, Detail(result.Body), StringComparison.Ordinal);
        Assert.False(result.Body.TryGetProperty("rewards", out _));
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _mistakesKey;

    private async Task<string> TenantKeyAsync(CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return _mistakesKey ??= await api.CreateTenantAsync("mistakes", null, ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A readable stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    private static string Detail(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
}

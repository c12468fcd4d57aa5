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

    public static TheoryData<string, string, string> ClientMistakes => new()
    {
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"same\",\"query\":\"q\",\"chosen\":\"same text\",\"rejected\":\"same text\"}" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"r\",\"query\":\"q\",\"ratings\":[{\"text\":\"a\",\"rating\":1}]}" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "{\"id\":\"a/b\",\"query\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "[]" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "null" },
        { "POST", "/v1/tenants/mistakes/users/u/feedback", "" },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[]}" },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[\"a\"],\"m\":0}" },
        { "POST", "/v1/tenants/mistakes/users/u/score", "{\"query\":\"q\",\"candidates\":[\"a\",\"b\"],\"candidateIds\":[\"x\"]}" },
        { "POST", "/v1/tenants/mistakes/users/u/compare", "{\"query\":\"q\",\"candidates\":[\"a\"]}" },
        { "PUT", "/v1/tenants/mistakes/users/u/stated-preference", "{\"text\":\"\"}" },
        { "GET", "/v1/tenants/mistakes/users/u/export", "" },
        { "DELETE", "/v1/tenants/mistakes/users/u", "" },
        { "GET", "/v1/tenants/mistakes/no-such-route", "" },
        { "POST", "/get_reward", "{\"query\":[\"p:r\"],\"prompts\":[\"x\"],\"user_id\":\"u\"}" },
        { "POST", "/get_reward", "{\"query\":[\"p\\n\\nAssistant: r\"],\"user_ids\":[\"u\",\"v\"]}" },
    };

    [Theory(Timeout = TestTimeouts.Api)]
    [MemberData(nameof(ClientMistakes))]
    public async Task ClientMistakes_Answer4xxWithAMessage(string method, string path, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await TenantKeyAsync(ct);
        var result = await api.SendAsync(new HttpMethod(method), path, key, body.Length == 0 && method != "POST" ? null : body);
        Assert.True((int)result.Status is >= 400 and < 500, $"{method} {path} {body}: {(int)result.Status} {result.Raw}");
        Assert.False(string.IsNullOrWhiteSpace(Detail(result.Body)), result.Raw);
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

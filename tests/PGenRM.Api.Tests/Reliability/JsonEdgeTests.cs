using System.Net;

namespace PGenRM.Api.Tests.Reliability;

/// <summary>The JSON edges: non-JSON Content-Type 415, duplicate keys 400 naming the key, distinct candidateIds, case-insensitive names.</summary>
[Collection(ApiCollection.Name)]
public sealed class JsonEdgeTests(ApiFixture api)
{
    private const string Pair = """{"id":"e1","query":"How do I reverse a list in Python?","chosen":"Use xs[::-1].","rejected":"Lists are a deep topic."}""";

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task ContentTypeDuplicatesCandidateIdsAndCase_AreDecidedExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("edges", null, ct);

        var (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/feedback", Pair, "application/x-www-form-urlencoded", ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("application/x-www-form-urlencoded", body, StringComparison.Ordinal);
        (status, _) = await PostAsync(key, "/v1/tenants/edges/users/ann/feedback", Pair, "text/plain", ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);

        (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/feedback", Pair.Replace("{\"id\":\"e1\",", "{\"id\":\"e1\",\"id\":\"e2\",", StringComparison.Ordinal), "application/json", ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'$.id'", body, StringComparison.Ordinal);
        (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/feedback", Pair.Replace("{\"id\":\"e1\",", "{\"id\":\"e1\",\"ID\":\"e2\",", StringComparison.Ordinal), "application/json", ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("ID", body, StringComparison.Ordinal);

        // Names match case-insensitively; a JSON type with parameters or a +json suffix is JSON.
        (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/feedback", Pair.Replace("\"query\"", "\"Query\"", StringComparison.Ordinal), "application/json; charset=utf-8", ct);
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/score", """{"query":"Q?","candidates":["a","b"],"candidateIds":["i1","i1"]}""", "application/json", ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'candidateIds[1]' repeats the id 'i1'", body, StringComparison.Ordinal);
        (status, body) = await PostAsync(key, "/v1/tenants/edges/users/ann/score", """{"query":"Q?","candidates":["a","b"],"candidateIds":["i1",null]}""", "application/vnd.pgenrm+json", ct);
        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task GetReward_MoreDistinctUsersThanTheTenantAllows_Is400NamingTheSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("reward-cap", new { maxUsersPerRewardRequest = 2 }, ct);
        string Body(params string[] users) =>
            System.Text.Json.JsonSerializer.Serialize(new { query = users.Select(_ => "Q?\n\nAssistant: A short answer.").ToArray(), user_ids = users });

        var (status, body) = await PostAsync(key, "/get_reward", Body("a", "b", "c"), "application/json", ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("The request names 3 distinct users; the tenant's limit 'maxUsersPerRewardRequest' is 2.", body, StringComparison.Ordinal);
        (status, body) = await PostAsync(key, "/get_reward", Body("a", "b", "a"), "application/json", ct);
        Assert.True(status == HttpStatusCode.OK, body);

        (status, body) = await PostAsync(ApiFixture.AdminKey, "/v1/tenants", """{"tenant":"reward-cap-2","settings":{"maxUsersPerRewardRequest":10001}}""", "application/json", ct);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("settings.maxUsersPerRewardRequest must be in [1, 10000] (0: the default), got 10001.", body, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string key, string path, string json, string contentType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Api-Key", key);
        using var response = await api.Http.SendAsync(request, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, body);
    }
}

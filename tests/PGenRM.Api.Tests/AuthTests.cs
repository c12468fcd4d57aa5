using System.Net;

namespace PGenRM.Api.Tests;

/// <summary>Keys: none 401, wrong 401, another tenant's 403, a tenant key on the admin endpoint 401.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Requests_WithoutOrWithWrongKeys_AreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        string first = await api.CreateTenantAsync("auth-a", null, ct);
        string second = await api.CreateTenantAsync("auth-b", null, ct);
        var fb = await api.SendAsync(HttpMethod.Post, "/v1/tenants/auth-b/users/bea/feedback", second,
            new { id = "x1", query = "Hello?", chosen = "Hi, how can I help?", rejected = "Go away." });
        Assert.True(fb.Status == HttpStatusCode.OK, fb.Raw);

        var none = await api.SendAsync(HttpMethod.Get, "/v1/tenants/auth-b/users/bea/profile", null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Contains("API key is required", none.Body.GetProperty("detail").GetString());

        var wrong = await api.SendAsync(HttpMethod.Get, "/v1/tenants/auth-b/users/bea/profile", "auth-b.not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);

        var ghost = await api.SendAsync(HttpMethod.Get, "/v1/tenants/ghost/users/bea/profile", "ghost.some-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, ghost.Status);

        // A valid key of tenant A must not reach tenant B's user, neither to read nor to write.
        var crossRead = await api.SendAsync(HttpMethod.Get, "/v1/tenants/auth-b/users/bea/profile", first);
        Assert.Equal(HttpStatusCode.Forbidden, crossRead.Status);
        Assert.Contains("auth-a", crossRead.Body.GetProperty("detail").GetString());
        var crossWrite = await api.SendAsync(HttpMethod.Post, "/v1/tenants/auth-b/users/bea/feedback", first,
            new { id = "x2", query = "Hello?", chosen = "Hi!", rejected = "No." });
        Assert.Equal(HttpStatusCode.Forbidden, crossWrite.Status);
        var own = await api.SendAsync(HttpMethod.Get, "/v1/tenants/auth-b/users/bea/profile", second);
        Assert.Equal(1, own.Body.GetProperty("feedbackCount").GetInt64());

        var tenantOnAdmin = await api.SendAsync(HttpMethod.Post, "/v1/tenants", first, new { tenant = "auth-c" });
        Assert.Equal(HttpStatusCode.Unauthorized, tenantOnAdmin.Status);
        var created = await api.SendAsync(HttpMethod.Post, "/v1/tenants", ApiFixture.AdminKey, new { tenant = "auth-a" });
        Assert.Equal(HttpStatusCode.Conflict, created.Status);
    }
}

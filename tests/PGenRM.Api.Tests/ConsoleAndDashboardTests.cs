using System.Net;
using System.Net.Http.Headers;

namespace PGenRM.Api.Tests;

/// <summary>
/// The web console's assets (embedded in the host, served under /console with a strict Content-Security-Policy; the
/// browser test in tests/browser drives the pages themselves) and the Orleans dashboard at /dashboard, which only the
/// admin key opens: none or a wrong key 401 with a Basic challenge, a tenant key 403, the admin key 200 as a header or
/// as the Basic password.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleAndDashboardTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Console_IsServedFromTheHost_AndTheRootRedirectsToIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Http.BaseAddress };
        using var root = await noRedirect.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/console/", root.Headers.Location?.OriginalString);

        using var page = await api.Http.GetAsync("/console/", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>PGenRM console</title>", await page.Content.ReadAsStringAsync(ct));
        Assert.StartsWith("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());

        foreach (var (path, type) in new[] { ("/console/console.js", "text/javascript"), ("/console/console.css", "text/css") })
        {
            using var asset = await api.Http.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            // Nothing is loaded from elsewhere: the page works offline.
            Assert.DoesNotContain("https://", await asset.Content.ReadAsStringAsync(ct));
        }

        var missing = await api.SendAsync(HttpMethod.Get, "/console/nope.js", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Dashboard_OpensOnlyWithTheAdminKey()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenantKey = await api.CreateTenantAsync("dash", null, ct);

        var none = await api.SendAsync(HttpMethod.Get, "/dashboard/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("Unauthorized", none.Body.GetProperty("title").GetString());
        using (var challenge = await api.Http.GetAsync("/dashboard/", ct))
        {
            Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
        }

        var wrong = await api.SendAsync(HttpMethod.Get, "/dashboard/", "admin.not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);

        var tenant = await api.SendAsync(HttpMethod.Get, "/dashboard/", tenantKey);
        Assert.Equal(HttpStatusCode.Forbidden, tenant.Status);
        Assert.Contains("admin key", tenant.Body.GetProperty("detail").GetString());

        var admin = await api.SendAsync(HttpMethod.Get, "/dashboard/", ApiFixture.AdminKey);
        Assert.True(admin.Status == HttpStatusCode.OK, $"{(int)admin.Status} {admin.Raw}");
        Assert.Contains("<title>Orleans Dashboard</title>", admin.Raw, StringComparison.Ordinal);

        // The dashboard's own data requests are guarded the same way.
        var data = await api.SendAsync(HttpMethod.Get, "/dashboard/index.min.js", null);
        Assert.Equal(HttpStatusCode.Unauthorized, data.Status);

        // What a browser sends after the Basic prompt: any user name, the admin key as password.
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + ApiFixture.AdminKey)));
        using var viaBasic = await api.Http.SendAsync(basic, ct);
        Assert.Equal(HttpStatusCode.OK, viaBasic.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PGenRM.Grains.Derived;

namespace PGenRM.Api.Tests;

/// <summary>
/// POST /v1/tenants/{tenant}/rebuild starts a background job (202, Location = its status route); GET on that route
/// gives its progress and outcome; one job per tenant at a time (409); 404 for an unknown tenant or job.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RebuildJobTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Rebuild_RunsAsAJob_OneAtATime_AndReportsItsCounts()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = "rb-" + Guid.NewGuid().ToString("N")[..8];
        string key = await api.CreateTenantAsync(tenant, null, ct);
        foreach (var (id, query, chosen, rejected) in new[] { ("j1", "How do I reverse a list?", "xs[::-1]", "Lists are old."), ("j2", "Learn SQL?", "Do 20 joins.", "SQL is a language.") })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/users/ann/feedback", key, new { id, query, chosen, rejected })).Status);
        }

        var rebuild = api.Services.GetRequiredService<TenantRebuild>();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rebuild.BeforeReset = (t, _) =>
        {
            if (t != tenant)
            {
                return Task.CompletedTask;
            }

            held.TrySetResult();
            return hold.Task;
        };
        try
        {
            // Held after the scan: running, with the scan's counts and nobody replayed yet.
            var (status, location, job) = await StartAsync(tenant, ct);
            Assert.Equal(HttpStatusCode.Accepted, status);
            string id = job.GetProperty("job").GetString()!;
            Assert.Equal($"/v1/tenants/{tenant}/rebuild/{id}", location);
            Assert.Equal("running", job.GetProperty("state").GetString());

            var second = await api.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/rebuild", ApiFixture.AdminKey);
            Assert.Equal(HttpStatusCode.Conflict, second.Status);
            Assert.Equal($"A rebuild of tenant '{tenant}' is running (job '{id}'); wait for it to finish.", second.Body.GetProperty("detail").GetString());

            // Once the job has scanned the log and waits in the hook: the status shows the scan's counts.
            await held.Task.WaitAsync(ct);
            var running = await api.SendAsync(HttpMethod.Get, location, ApiFixture.AdminKey);
            Assert.Equal(HttpStatusCode.OK, running.Status);
            Assert.Equal("running", running.Body.GetProperty("state").GetString());
            Assert.Equal((1, 0, 4, 2L), Counts(running.Body));

            hold.SetResult();
            var done = await WaitAsync(location, ct);
            Assert.Equal("succeeded", done.GetProperty("state").GetString());
            Assert.Equal((1, 1, 4, 2L), Counts(done));
            Assert.Equal(1, done.GetProperty("prototypes").GetInt32());
            Assert.False(done.TryGetProperty("error", out _)); // null fields are left out
            Assert.Equal(JsonValueKind.String, done.GetProperty("finishedAt").ValueKind);

            // Finished: a new job may start, and fails with its reason when the replay throws.
            rebuild.BeforeReset = (t, _) => t == tenant ? throw new InvalidOperationException("injected failure") : Task.CompletedTask;
            var (again, againLocation, _) = await StartAsync(tenant, ct);
            Assert.Equal(HttpStatusCode.Accepted, again);
            Assert.NotEqual(location, againLocation);
            var failed = await WaitAsync(againLocation, ct);
            Assert.Equal(("failed", "injected failure"), (failed.GetProperty("state").GetString(), failed.GetProperty("error").GetString()));
        }
        finally
        {
            hold.TrySetResult();
            rebuild.BeforeReset = null;
        }
    }

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Rebuild_UnknownTenantOrJob_Is404_TenantKeyIs401()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = "rb-" + Guid.NewGuid().ToString("N")[..8];

        var unknownTenant = await api.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/rebuild", ApiFixture.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, unknownTenant.Status);
        Assert.Equal($"Tenant '{tenant}' does not exist.", unknownTenant.Body.GetProperty("detail").GetString());

        var unknownJob = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{tenant}/rebuild/nosuchjob", ApiFixture.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.Status);
        Assert.Equal($"Tenant '{tenant}' has no rebuild job 'nosuchjob'.", unknownJob.Body.GetProperty("detail").GetString());

        string key = await api.CreateTenantAsync(tenant, null, ct);
        var noJob = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{tenant}/rebuild/nosuchjob", ApiFixture.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, noJob.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/rebuild", key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{tenant}/rebuild/nosuchjob", key)).Status);
    }

    private static (int Users, int UsersReplayed, int Items, long Entries) Counts(JsonElement job) => (
        job.GetProperty("users").GetInt32(), job.GetProperty("usersReplayed").GetInt32(), job.GetProperty("items").GetInt32(), job.GetProperty("entries").GetInt64());

    private async Task<(HttpStatusCode Status, string Location, JsonElement Job)> StartAsync(string tenant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{tenant}/rebuild");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.AdminKey);
        using var response = await api.Http.SendAsync(request, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, response.Headers.Location?.OriginalString ?? "", JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Polls the status route until the job ends (the job runs in the background; there is nothing to await).</summary>
    private async Task<JsonElement> WaitAsync(string location, CancellationToken ct)
    {
        while (true)
        {
            var (status, body, raw) = await api.SendAsync(HttpMethod.Get, location, ApiFixture.AdminKey);
            Assert.True(status == HttpStatusCode.OK, raw);
            if (body.GetProperty("state").GetString() != "running")
            {
                return body;
            }

            await Task.Delay(50, ct);
        }
    }
}

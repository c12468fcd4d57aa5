using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using PGenRM.Grains;
using PGenRM.Host.Hosting;
using PGenRM.Testing;

namespace PGenRM.Api.Tests.Reliability;

/// <summary>
/// Abuse costs nothing lasting: 5,000 requests with bogus keys of random tenants leave the number of tenant grain
/// activations and the silo's tenant cache as they were, and all but the first allowed failures of the address are
/// answered 429 with Retry-After; the real tenant keeps working from another address's point of view (its key is good).
/// Also: a tenant setting outside its range is a 400 naming it, and the extreme accepted rates keep the tenant usable.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AbuseTests
{
    private const int Requests = 5_000;
    private const int Workers = 8;
    private const int FailuresPerMinute = 50;

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task BogusKeys_LeaveNoActivationsNorCacheEntries_AndGet429()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-abuse-" + Guid.NewGuid().ToString("N")[..8]);
        var service = await PGenRMHost.StartAsync(
        [
            "--urls", "http://127.0.0.1:0",
            $"--PGenRM:StorageConnectionString={azurite.ConnectionString}",
            $"--PGenRM:DataDirectory={data}",
            $"--PGenRM:AdminKey={ApiFixture.AdminKey}",
            "--PGenRM:DemoTenant=",
            $"--PGenRM:AuthFailuresPerMinute={FailuresPerMinute}",
            $"--PGenRM:SiloPort={ApiFixture.FreePort()}", $"--PGenRM:GatewayPort={ApiFixture.FreePort()}",
            "--Logging:LogLevel:Default=Warning",
        ], TextWriter.Null, ct);
        try
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            var grains = service.App.Services.GetRequiredService<IGrainFactory>();
            var cache = service.App.Services.GetRequiredService<TenantCache>();

            // Settings: out of range is a 400 naming the field; the extremes of the range keep the tenant usable.
            using (var tiny = await Admin(http, new { tenant = "tiny", settings = new { requestsPerSecond = 1e-12 } }, ct))
            {
                string body = await tiny.Content.ReadAsStringAsync(ct);
                Assert.Equal(HttpStatusCode.BadRequest, tiny.StatusCode);
                Assert.Contains("settings.requestsPerSecond must be in [0.01, 100000], got 1E-12", body, StringComparison.Ordinal);
            }

            string key = "";
            foreach (var (tenant, rps) in new[] { ("slowest", 0.01), ("fastest", 100_000.0), ("real", 200.0) })
            {
                using var created = await Admin(http, new { tenant, settings = new { requestsPerSecond = rps } }, ct);
                string body = await created.Content.ReadAsStringAsync(ct);
                Assert.True(created.StatusCode == HttpStatusCode.Created, body);
                key = JsonDocument.Parse(body).RootElement.GetProperty("apiKey").GetString()!;
                using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{tenant}");
                get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var answer = await http.SendAsync(get, ct);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            int activationsBefore = await TenantActivationsAsync(grains);
            int cacheBefore = cache.Count;

            var statuses = new ConcurrentDictionary<int, int>();
            int missingRetryAfter = 0, notProblem = 0, next = -1;
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                for (int i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
                {
                    string tenant = $"bogus{i}";
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{tenant}/users/u/profile");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{tenant}.not-a-real-secret-{i}");
                    using var response = await http.SendAsync(request, ct);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref missingRetryAfter);
                    }

                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        Interlocked.Increment(ref notProblem);
                    }
                }
            }, ct)));

            string counts = string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
            TestContext.Current.SendDiagnosticMessage($"abuse: {Requests} bogus-key requests: {counts}");
            Assert.True(statuses.Keys.All(s => s is 401 or 429), counts);
            // Each address gets FailuresPerMinute failures per minute (a few more may pass the check while in flight).
            Assert.InRange(statuses.GetValueOrDefault(401), FailuresPerMinute, FailuresPerMinute + Workers);
            Assert.Equal(Requests, statuses.GetValueOrDefault(401) + statuses.GetValueOrDefault(429));
            Assert.Equal(0, missingRetryAfter);
            Assert.Equal(0, notProblem);
            Assert.Equal(cacheBefore, cache.Count);

            // The looked-up unknown tenants deactivate as soon as they are idle.
            var waited = Stopwatch.StartNew();
            int activations;
            while ((activations = await TenantActivationsAsync(grains)) != activationsBefore && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, ct);
            }

            Assert.Equal(activationsBefore, activations);
        }
        finally
        {
            await service.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> Admin(HttpClient http, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", ApiFixture.AdminKey);
        return await http.SendAsync(request, ct);
    }

    private static async Task<int> TenantActivationsAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("TenantGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PGenRM.Testing;

namespace PGenRM.Api.Tests.Reliability;

/// <summary>
/// Three host processes on one fresh storage account (Azurite), Azure Table clustering, one shared data folder and no
/// configured admin key, started at the same moment: all become ready, exactly one creates the demo tenant and the
/// admin key, and every host accepts those keys. Then one silo is killed with SIGKILL under a bounded load of feedback
/// and scores sent to the two others: no 500 on the survivors (transient failures are retried or answered 503 with
/// Retry-After), and nothing acknowledged is lost.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class ClusterTests
{
    private const int Hosts = 3;
    private const int Users = 12;
    private const int Workers = 4;
    private static readonly TimeSpan LoadAfterKill = TimeSpan.FromSeconds(6);

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task ThreeHostsStartedTogether_AllReady_OneKilledUnderLoad_No500AndNothingLost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-cluster-race-" + Guid.NewGuid().ToString("N")[..8]);
        string clusterId = "r" + Guid.NewGuid().ToString("N")[..8];
        var hosts = new HostProcess[Hosts];
        try
        {
            for (int h = 0; h < Hosts; h++)
            {
                hosts[h] = HostProcess.Start(
                    $"--PGenRM:StorageConnectionString={azurite.ConnectionString}", "--PGenRM:Clustering=AzureTable",
                    $"--PGenRM:ClusterId={clusterId}", $"--PGenRM:DataDirectory={data}");
            }

            // Startup race: all listen and are ready; one demo key and one admin key were printed, and they work everywhere.
            await Task.WhenAll(hosts.Select(h => h.Listening)).WaitAsync(TimeSpan.FromMinutes(4), ct);
            string[] demoKeys = [.. hosts.Select(h => DemoKeyLine().Match(h.Output)).Where(m => m.Success).Select(m => m.Groups[1].Value)];
            string[] adminKeys = [.. hosts.Select(h => AdminKeyLine().Match(h.Output)).Where(m => m.Success).Select(m => m.Groups[1].Value)];
            Assert.True(demoKeys.Length == 1, $"{demoKeys.Length} demo keys printed:\n{string.Join("\n---\n", hosts.Select(h => h.Output))}");
            Assert.True(adminKeys.Length == 1, $"{adminKeys.Length} admin keys printed:\n{string.Join("\n---\n", hosts.Select(h => h.Output))}");
            var clients = hosts.Select(h => h.Client(demoKeys[0])).ToArray();
            for (int h = 0; h < Hosts; h++)
            {
                await WaitReadyAsync(clients[h], ct);
                using var tenant = await clients[h].GetAsync("/v1/tenants/demo", ct);
                Assert.Equal(HttpStatusCode.OK, tenant.StatusCode);
                using var admin = hosts[h].Client(adminKeys[0]);
                using var created = await admin.PostAsJsonAsync("/v1/tenants", new { tenant = $"t{h}" }, ct);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            // A bounded load on hosts 1 and 2 (every fifth request a score; 5 and 12 coprime, so every user gets feedback); host 0 is killed once some feedback is acknowledged.
            var sent = new ConcurrentDictionary<string, int>();
            var acknowledged = new ConcurrentDictionary<string, int>();
            var statuses = new ConcurrentDictionary<int, int>();
            int without503RetryAfter = 0;
            using var stop = new CancellationTokenSource();
            int next = -1;
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                var client = clients[1 + (w % 2)];
                while (!stop.IsCancellationRequested)
                {
                    int i = Interlocked.Increment(ref next);
                    string id = $"k{i}";
                    HttpResponseMessage response;
                    if (i % 5 == 4)
                    {
                        response = await client.PostAsJsonAsync($"/v1/tenants/demo/users/{User(i)}/score",
                            new { query = Feedback.Query(i), candidates = new[] { Feedback.Concise(i), Feedback.Verbose(i) } }, CancellationToken.None);
                    }
                    else
                    {
                        sent[id] = i;
                        response = await client.PostAsJsonAsync($"/v1/tenants/demo/users/{User(i)}/feedback", Item(id, i), CancellationToken.None);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged[id] = i;
                        }
                    }

                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref without503RetryAfter);
                    }

                    response.Dispose();
                }
            }, CancellationToken.None)).ToArray();

            var waited = Stopwatch.StartNew();
            while (acknowledged.Count < 24 && waited.Elapsed < TimeSpan.FromMinutes(2) && workers.All(w => !w.IsCompleted))
            {
                await Task.Delay(20, ct);
            }

            await hosts[0].KillAsync();
            int acknowledgedAtKill = acknowledged.Count;
            await Task.Delay(LoadAfterKill, ct);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            string counts = string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
            TestContext.Current.SendDiagnosticMessage($"cluster: {acknowledgedAtKill} acknowledged at the kill, {acknowledged.Count} in all; statuses {counts}");
            Assert.True(acknowledgedAtKill >= 24, $"Only {acknowledgedAtKill} acknowledged before the kill ({counts}).");
            Assert.True(statuses.Keys.All(s => s is 200 or 503), $"Statuses on the surviving hosts: {counts}\n{hosts[1].Output}");
            Assert.Equal(0, without503RetryAfter);

            // Nothing acknowledged is lost: every id re-sent answers "duplicate" if it was acknowledged; counts are exact.
            foreach (var (id, i) in sent.OrderBy(p => p.Value))
            {
                string status = await SendUntilAnsweredAsync(clients[1], $"/v1/tenants/demo/users/{User(i)}/feedback", Item(id, i), ct);
                if (acknowledged.ContainsKey(id))
                {
                    Assert.True(status == "duplicate", $"Acknowledged {id} was lost: re-sending it answered '{status}'.");
                }
            }

            for (int u = 0; u < Users; u++)
            {
                using var profile = await clients[2].GetAsync($"/v1/tenants/demo/users/u{u}/profile", ct);
                string body = await profile.Content.ReadAsStringAsync(ct);
                Assert.True(profile.StatusCode == HttpStatusCode.OK, body);
                Assert.Equal(sent.Values.Count(i => i % Users == u), JsonDocument.Parse(body).RootElement.GetProperty("feedbackCount").GetInt64());
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            // Survivors first, so none hangs on a vanished storage (the fixture stops Azurite after this).
            await Task.WhenAll(hosts.Where(h => h is not null).Select(async h => await h.DisposeAsync()));
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task WaitReadyAsync(HttpClient client, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var ready = await client.GetAsync("/health/ready", ct);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"Not ready after {waited.Elapsed}: {(int)ready.StatusCode}");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>Posts until the answer is not a 503 (a client honouring Retry-After would), bounded; returns the feedback status.</summary>
    private static async Task<string> SendUntilAnsweredAsync(HttpClient client, string path, object item, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var response = await client.PostAsJsonAsync(path, item, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!;
        }
    }

    private static string User(int i) => $"u{i % Users}";

    private static object Item(string id, int i) => new { id, query = Feedback.Query(i), chosen = Feedback.Concise(i), rejected = Feedback.Verbose(i) };

    [GeneratedRegex(@"demo tenant 'demo' created; its API key \(shown once, stored hashed\): (demo\.[A-Za-z0-9_-]+)")]
    private static partial Regex DemoKeyLine();

    [GeneratedRegex(@"PGenRM admin key \(shown once; [^)]*\): (admin\.[A-Za-z0-9_-]+)")]
    private static partial Regex AdminKeyLine();
}

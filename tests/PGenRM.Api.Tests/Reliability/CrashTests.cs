using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PGenRM.Testing;

namespace PGenRM.Api.Tests.Reliability;

/// <summary>
/// Durable acknowledgment with the embedded storage: the host (its own Azurite, data on disk) is killed with SIGKILL
/// while clients stream feedback, and restarted on the same folder. Every acknowledged item is still there; re-sending
/// every id sent answers "duplicate" for each acknowledged one, and the counts are then exact.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class CrashTests
{
    private const int Workers = 4;
    private const int Users = 6;
    private const int AcknowledgedBeforeKill = 24;

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Host_KilledWithSigkillMidStream_RestartLosesNothingAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-crash-" + Guid.NewGuid().ToString("N")[..8]);
        string[] args = [$"--PGenRM:DataDirectory={data}", "--PGenRM:AzuriteBlobPort=0", "--PGenRM:AzuriteQueuePort=0", "--PGenRM:AzuriteTablePort=0"];
        var sent = new ConcurrentDictionary<string, int>();
        var acknowledged = new ConcurrentDictionary<string, int>();
        try
        {
            string key;
            await using (var host = HostProcess.Start(args))
            {
                await host.Listening.WaitAsync(TimeSpan.FromMinutes(3), ct);
                key = DemoKeyLine().Match(host.Output).Groups[1].Value;
                Assert.True(key.Length > 0, $"No demo key printed:\n{host.Output}");
                using var client = host.Client(key);
                using var stop = new CancellationTokenSource();
                int next = -1;
                var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        int i = Interlocked.Increment(ref next);
                        string id = $"c{i}";
                        sent[id] = i;
                        try
                        {
                            using var response = await client.PostAsJsonAsync($"/v1/tenants/demo/users/{User(i)}/feedback", Item(id, i), CancellationToken.None);
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged[id] = i;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            // In flight when the host died: not acknowledged, re-sent below. The host is gone: stop.
                            break;
                        }
                    }
                }, CancellationToken.None)).ToArray();

                var waited = Stopwatch.StartNew();
                while (acknowledged.Count < AcknowledgedBeforeKill && waited.Elapsed < TimeSpan.FromMinutes(2) && !host.HasExited)
                {
                    await Task.Delay(20, ct);
                }

                Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"Only {acknowledged.Count} acknowledged in {waited.Elapsed}:\n{host.Output}");
                await host.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }

            await using (var restarted = HostProcess.Start(args))
            {
                await restarted.Listening.WaitAsync(TimeSpan.FromMinutes(3), ct);
                using var client = restarted.Client(key);
                // Re-sent by 4 clients at once (bounded time on a busy machine).
                var failures = new ConcurrentQueue<string>();
                await Parallel.ForEachAsync(sent, new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = ct }, async (pair, token) =>
                {
                    var (id, i) = pair;
                    using var response = await client.PostAsJsonAsync($"/v1/tenants/demo/users/{User(i)}/feedback", Item(id, i), token);
                    string body = await response.Content.ReadAsStringAsync(token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{id}: {(int)response.StatusCode} {body}");
                        return;
                    }

                    string status = JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!;
                    if (acknowledged.ContainsKey(id) && status != "duplicate")
                    {
                        failures.Enqueue($"Acknowledged {id} was lost: re-sending it answered '{status}'.");
                    }
                });
                Assert.True(failures.IsEmpty, string.Join("\n", failures));

                for (int u = 0; u < Users; u++)
                {
                    using var profile = await client.GetAsync($"/v1/tenants/demo/users/u{u}/profile", ct);
                    string body = await profile.Content.ReadAsStringAsync(ct);
                    Assert.True(profile.StatusCode == HttpStatusCode.OK, body);
                    Assert.Equal(sent.Values.Count(i => i % Users == u), JsonDocument.Parse(body).RootElement.GetProperty("feedbackCount").GetInt64());
                }

                TestContext.Current.SendDiagnosticMessage($"crash: {acknowledged.Count} acknowledged, {sent.Count} sent before SIGKILL; all present after restart");
                Assert.Equal(0, await restarted.StopAsync());
            }
        }
        finally
        {
            StopLeftoverAzurite(data);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>A failed test must not leave the killed host's Azurite running.</summary>
    internal static void StopLeftoverAzurite(string data)
    {
        string pidFile = Path.Combine(data, "azurite", "azurite.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out int pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static string User(int i) => $"u{i % Users}";

    private static object Item(string id, int i) => new { id, query = Feedback.Query(i), chosen = Feedback.Concise(i), rejected = Feedback.Verbose(i) };

    [GeneratedRegex(@"demo tenant 'demo' created; its API key \(shown once, stored hashed\): (demo\.[A-Za-z0-9_-]+)")]
    private static partial Regex DemoKeyLine();
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>
/// Starts the host as README.md does (the built host run by `dotnet`, embedded defaults: it starts its own Azurite
/// with data on disk), only with a temporary data folder and free ports. Checks health, the demo tenant's printed key,
/// feedback and one score call; that stopping it (SIGTERM) stops its Azurite too; and that a second start on the same
/// folder keeps the data and prints no key again.
/// </summary>
public sealed partial class ReadmeHostTests
{
    private const string Query = "How do I reverse a list in Python?";

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Host_StartedAsTheReadmeSays_IsHealthyScoresAndKeepsItsData()
    {
        var ct = TestContext.Current.CancellationToken;
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-readme-" + Guid.NewGuid().ToString("N")[..8]);
        int blob = ApiFixture.FreePort();
        try
        {
            string key;
            await using (var first = StartHost(data, blob))
            {
                await first.Listening.WaitAsync(TimeSpan.FromMinutes(3), ct);
                key = DemoKeyLine().Match(first.Output).Groups[1].Value;
                Assert.True(key.Length > 0, $"No demo key printed:\n{first.Output}");
                Assert.Matches(AdminKeyLine(), first.Output);
                Assert.True(File.Exists(Path.Combine(data, "admin-key.sha256")), "The generated admin key's hash is kept in the data folder.");

                using var client = first.Client(key);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", ct)).StatusCode);
                var feedback = await client.PostAsJsonAsync("/v1/tenants/demo/users/alice/feedback",
                    new { id = "f1", query = Query, chosen = "Use xs[::-1].", rejected = "Lists are interesting." }, ct);
                Assert.True(feedback.IsSuccessStatusCode, await feedback.Content.ReadAsStringAsync(ct));
                var score = await client.PostAsJsonAsync("/v1/tenants/demo/users/alice/score",
                    new { query = Query, candidates = new[] { "Use xs[::-1].", "Lists are interesting." } }, ct);
                string body = await score.Content.ReadAsStringAsync(ct);
                Assert.True(score.StatusCode == HttpStatusCode.OK, $"{(int)score.StatusCode} {body}\n{first.Output}");
                Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("rewards").GetArrayLength());
                Assert.Equal(0, await first.StopAsync());
            }

            Assert.False(await AnswersAsync(blob), "Azurite still answers after the host stopped.");

            await using (var second = StartHost(data, blob))
            {
                await second.Listening.WaitAsync(TimeSpan.FromMinutes(3), ct);
                Assert.DoesNotMatch(DemoKeyLine(), second.Output);
                Assert.DoesNotMatch(AdminKeyLine(), second.Output);
                using var client = second.Client(key);
                var profile = await client.GetAsync("/v1/tenants/demo/users/alice/profile", ct);
                string body = await profile.Content.ReadAsStringAsync(ct);
                Assert.True(profile.StatusCode == HttpStatusCode.OK, $"{(int)profile.StatusCode} {body}\n{second.Output}");
                Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("feedbackCount").GetInt64());
                Assert.Equal(0, await second.StopAsync());
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"demo tenant 'demo' created; its API key \(shown once, stored hashed\): (demo\.[A-Za-z0-9_-]+)")]
    private static partial Regex DemoKeyLine();

    [GeneratedRegex(@"PGenRM admin key \(shown once; [^)]*\): admin\.[A-Za-z0-9_-]+")]
    private static partial Regex AdminKeyLine();

    private static HostProcess StartHost(string data, int blob) =>
        HostProcess.Start($"--PGenRM:DataDirectory={data}", $"--PGenRM:AzuriteBlobPort={blob}", "--PGenRM:AzuriteQueuePort=0", "--PGenRM:AzuriteTablePort=0");
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>
/// Starts the host as README.md does (the built host run by `dotnet`, embedded defaults: it starts its own Azurite),
/// only with a temporary data folder and free ports, then checks health, the demo tenant's printed key and one score
/// call, and that stopping the host (SIGTERM) stops its Azurite too.
/// </summary>
public sealed partial class ReadmeHostTests
{
    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Host_StartedAsTheReadmeSays_IsHealthyAndScores()
    {
        var ct = TestContext.Current.CancellationToken;
        string root = RepositoryRoot.Find();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string dll = Path.Combine(root, "src", "PGenRM.Host", "bin", configuration, "net10.0", "linux-x64", "PGenRM.Host.dll");
        Assert.True(File.Exists(dll), $"The host is not built at {dll}.");
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-readme-" + Guid.NewGuid().ToString("N")[..8]);
        int http = ApiFixture.FreePort(), blob = ApiFixture.FreePort(), queue = ApiFixture.FreePort(), table = ApiFixture.FreePort();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (string arg in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{http}", $"--PGenRM:DataDirectory={data}",
                     $"--PGenRM:AzuriteBlobPort={blob}", $"--PGenRM:AzuriteQueuePort={queue}", $"--PGenRM:AzuriteTablePort={table}",
                     $"--PGenRM:SiloPort={ApiFixture.FreePort()}", $"--PGenRM:GatewayPort={ApiFixture.FreePort()}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var demoKey = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string key = await demoKey.Task.WaitAsync(TimeSpan.FromMinutes(3), ct);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromMinutes(2) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", ct)).StatusCode);

            using var score = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/demo/users/alice/score")
            {
                Content = JsonContent.Create(new { query = "How do I reverse a list in Python?", candidates = new[] { "Use xs[::-1].", "Lists are interesting." } }),
            };
            score.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var response = await client.SendAsync(score, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{Captured()}");
            Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("rewards").GetArrayLength());
            Assert.True(File.Exists(Path.Combine(data, "admin-key.sha256")), "The generated admin key's hash is kept in the data folder.");
            Assert.Matches(AdminKeyLine(), Captured());
        }
        finally
        {
            // SIGTERM, as Ctrl+C or a service manager would: the host stops the silo, then its Azurite.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(CancellationToken.None);
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
        Assert.False(await AnswersAsync(blob), "Azurite still answers after the host stopped.");
        Directory.Delete(data, recursive: true);

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            var match = DemoKeyLine().Match(line);
            if (match.Success)
            {
                demoKey.TrySetResult(match.Groups[1].Value);
            }
        }

        string Captured()
        {
            lock (output)
            {
                return output.ToString();
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
}

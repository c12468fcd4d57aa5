using System.Net;
using System.Net.Http.Json;
using PGenRM.Host.Hosting;

namespace PGenRM.Api.Tests;

/// <summary>PGenRM:OtlpEndpoint turns on OTLP/HTTP export: traces arrive at {endpoint}/v1/traces.</summary>
public sealed class OtlpExportTests
{
    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task OtlpEndpoint_Configured_ReceivesTraces()
    {
        var ct = TestContext.Current.CancellationToken;
        int collectorPort = ApiFixture.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{collectorPort}/");
        collector.Start();
        var traces = new TaskCompletionSource<(string Path, long Bytes)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url!.AbsolutePath == "/v1/traces" && body.Length > 0)
                {
                    traces.TrySetResult((context.Request.Url.AbsolutePath, body.Length));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }, ct);

        string data = Path.Combine(Path.GetTempPath(), "pgenrm-otlp-" + Guid.NewGuid().ToString("N")[..8]);
        var service = await PGenRMHost.StartAsync(
        [
            "--urls", "http://127.0.0.1:0",
            $"--PGenRM:DataDirectory={data}",
            "--PGenRM:AzuriteBlobPort=0", "--PGenRM:AzuriteQueuePort=0", "--PGenRM:AzuriteTablePort=0",
            $"--PGenRM:SiloPort={ApiFixture.FreePort()}", $"--PGenRM:GatewayPort={ApiFixture.FreePort()}",
            $"--PGenRM:OtlpEndpoint=http://127.0.0.1:{collectorPort}",
            "--Logging:LogLevel:Default=Warning",
        ], TextWriter.Null, ct);
        try
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            http.DefaultRequestHeaders.Add("X-Api-Key", service.DemoTenantKey);
            var response = await http.PostAsJsonAsync("/v1/tenants/demo/users/otto/feedback",
                new { id = "o1", query = "Hello?", chosen = "Hi! How can I help?", rejected = "Go away." }, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The batch exporter sends every 5 s by default.
            var (path, bytes) = await traces.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Equal("/v1/traces", path);
            Assert.True(bytes > 0);
        }
        finally
        {
            await service.DisposeAsync();
            collector.Stop();
            Directory.Delete(data, recursive: true);
        }
    }
}

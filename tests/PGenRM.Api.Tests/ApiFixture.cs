using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PGenRM.Host.Hosting;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>
/// One service per collection: the real host (silo + Kestrel on a free loopback port) on its own in-memory Azurite,
/// with a known admin key, no demo tenant, a small body limit, and an HttpClient on its address.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>The admin key configured for the test host.</summary>
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    /// <summary>Body limit configured for the test host.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly AzuriteFixture _azurite = new();
    private PGenRMService? _service;
    private string _data = "";

    /// <summary>The fake OpenAI-compatible judge the host knows as endpoint "fake" (tenants switched to the llm evaluator).</summary>
    public FakeOpenAiServer Judge { get; private set; } = null!;

    /// <summary>The running host's services (its endpoint data source, for the OpenAPI test).</summary>
    public IServiceProvider Services => _service?.App.Services ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>
    /// Completes when the item judgments posted so far in the service's silo are applied (its derived-statistics
    /// pipeline), for tests that compare scores taken before and after such a flush could happen.
    /// </summary>
    public Task FlushDerivedAsync(CancellationToken cancellationToken) =>
        _service!.App.Services.GetRequiredService<PGenRM.Grains.Derived.DerivedStatsPipeline>().FlushAsync(cancellationToken);

    /// <summary>
    /// Stores and sends the users' pending prototype reports now (a join waits up to
    /// <see cref="PGenRM.Grains.UserGrain.MembershipWriteDelay"/> otherwise), for tests that read prototypes right after feedback.
    /// </summary>
    public Task FlushReportsAsync(string tenant, IEnumerable<string> users, CancellationToken cancellationToken)
    {
        var grains = _service!.App.Services.GetRequiredService<Orleans.IGrainFactory>();
        return Task.WhenAll(users.Select(u => grains.GetGrain<PGenRM.Grains.Abstractions.IUserGrain>(PGenRM.Grains.Abstractions.GrainKeys.User(tenant, u)).FlushReportsAsync(cancellationToken)));
    }

    /// <summary>Client on the service's address, without credentials.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Judge = await FakeOpenAiServer.StartAsync();
        _data = Path.Combine(Path.GetTempPath(), "pgenrm-api-tests-" + Guid.NewGuid().ToString("N")[..8]);
        _service = await PGenRMHost.StartAsync(
        [
            "--urls", "http://127.0.0.1:0",
            $"--PGenRM:StorageConnectionString={_azurite.ConnectionString}",
            $"--PGenRM:DataDirectory={_data}",
            $"--PGenRM:AdminKey={AdminKey}",
            "--PGenRM:DemoTenant=",
            $"--PGenRM:MaxRequestBodyBytes={MaxBodyBytes}",
            // Tests send wrong keys on purpose from one address; the failure limit has its own test (AbuseTests).
            "--PGenRM:AuthFailuresPerMinute=1000000",
            $"--PGenRM:SiloPort={FreePort()}",
            $"--PGenRM:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
            $"--PGenRM:Llm:Endpoints:fake:Endpoint={Judge.BaseUri}",
            "--PGenRM:Llm:Endpoints:fake:ApiKey=fake-judge-secret",
            "--PGenRM:Llm:Endpoints:fake:AttemptTimeoutSeconds=10",
            "--PGenRM:Llm:Endpoints:fake:MaxRetries=1",
        ], TextWriter.Null, TestContext.Current.CancellationToken);
        Http = new HttpClient { BaseAddress = _service.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            if (_service is not null)
            {
                await _service.DisposeAsync();
            }
        }
        finally
        {
            if (Judge is not null)
            {
                await Judge.DisposeAsync();
            }

            await _azurite.DisposeAsync();
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
    }

    /// <summary>Creates a tenant through the API and returns its key.</summary>
    public async Task<string> CreateTenantAsync(string tenant, object? settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { tenant, settings }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating tenant {tenant}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("apiKey").GetString()!;
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <paramref name="key"/> and a JSON body (or raw string), returning status and parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, text);
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using PGenRM.Hosting.Azurite;

namespace PGenRM.Host.Hosting;

/// <summary>A started service: the web application (API + silo) and, when it started one, the embedded Azurite.</summary>
public sealed class PGenRMService : IAsyncDisposable
{
    private readonly AzuriteProcess? _azurite;

    internal PGenRMService(WebApplication app, AzuriteProcess? azurite, Uri baseAddress, string? demoTenantKey)
    {
        App = app;
        _azurite = azurite;
        BaseAddress = baseAddress;
        DemoTenantKey = demoTenantKey;
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>The HTTP address the API listens on (the first one, when several are bound).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The demo tenant's key when this start created the demo tenant; otherwise null (it is shown only once).</summary>
    public string? DemoTenantKey { get; }

    /// <summary>Blocks until the application is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the API and the silo, then the embedded Azurite (in that order: a silo without storage hangs in shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await App.StopAsync(timeout.Token).ConfigureAwait(false);
            await App.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

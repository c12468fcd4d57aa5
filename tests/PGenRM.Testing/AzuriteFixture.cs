using PGenRM.Hosting.Azurite;

namespace PGenRM.Testing;

/// <summary>
/// The xunit face of <see cref="AzuriteProcess"/>: Azurite (blob, queue, table) on three free loopback ports, in
/// memory, started on initialize and stopped on dispose. It never skips: a test that needs storage fails with a
/// message saying what is missing, because on CI nothing may be absent.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    private AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started: call InitializeAsync first.");

    /// <summary>Blob service port.</summary>
    public int BlobPort => Azurite.BlobPort;

    /// <summary>Queue service port.</summary>
    public int QueuePort => Azurite.QueuePort;

    /// <summary>Table service port.</summary>
    public int TablePort => Azurite.TablePort;

    /// <summary>Full connection string for the Azure SDK clients (http, development account, this instance's ports).</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        _azurite = await AzuriteProcess.StartAsync(new AzuriteOptions()).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var azurite = Interlocked.Exchange(ref _azurite, null);
        if (azurite is not null)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}

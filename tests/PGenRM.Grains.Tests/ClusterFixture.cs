using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using PGenRM.Core.Encoding;
using PGenRM.Encoding.Onnx;
using PGenRM.Grains;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>
/// One two-silo <see cref="InProcessTestCluster"/> per collection, on its own Azurite: users, items and tenants in
/// Table storage, prototypes in Blob storage (names unique to this run), every state stored by
/// <see cref="PGenRMGrainStorageSerializer"/> (users packed). Each silo hosts its own real encoder. Subclasses give a
/// collection its own cluster.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    /// <summary>Client of the cluster.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>Table holding user states.</summary>
    public TableClient UserTable { get; private set; } = null!;

    /// <summary>Blob container holding prototype states.</summary>
    public BlobContainerClient PrototypeContainer { get; private set; } = null!;

    /// <summary>Drops the cached tenant on every silo, as the cache's time to live would a few seconds later (tests do not sleep).</summary>
    public void InvalidateTenantCaches(string tenant)
    {
        foreach (var silo in Cluster.Silos)
        {
            silo.ServiceProvider.GetRequiredService<TenantCache>().Invalidate(tenant);
            silo.ServiceProvider.GetRequiredService<PopulationCache>().Invalidate(tenant);
        }
    }

    /// <summary>
    /// Completes when every item judgment posted so far on any silo has been applied by its item (each silo's
    /// <see cref="Derived.DerivedStatsPipeline.FlushAsync"/>): what a test reads from items afterwards includes them.
    /// </summary>
    public Task FlushDerivedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<Derived.DerivedStatsPipeline>().FlushAsync(cancellationToken)));

    /// <summary>Holds (<paramref name="hold"/>) or releases the judgment batches sent to the items of <paramref name="tenant"/> on every silo.</summary>
    public void HoldItems(string tenant, bool hold)
    {
        foreach (var silo in Cluster.Silos)
        {
            var gate = silo.ServiceProvider.GetRequiredService<ItemApplyGate>();
            if (hold)
            {
                gate.Hold(tenant);
            }
            else
            {
                gate.Release(tenant);
            }
        }
    }

    /// <summary>Judgments posted and not yet applied, over every silo's pipeline.</summary>
    public long PendingJudgments() => Cluster.Silos.Sum(s => s.ServiceProvider.GetRequiredService<Derived.DerivedStatsPipeline>().Pending);

    /// <summary>Table holding item states.</summary>
    public TableClient ItemTable { get; private set; } = null!;

    /// <summary>Every table request of both silos (storages and feedback log), with the writes' bodies.</summary>
    public TableRequestLog TableRequests { get; } = new();

    /// <summary>The Azurite connection string (tests that build their own clients or storages on it).</summary>
    public string StorageConnectionString => _azurite.ConnectionString;

    /// <summary>
    /// The "items" storage's layout and batching in this cluster: a flush window long enough that concurrent writes
    /// of a test meet in one transaction on a loaded machine, short enough that a lone write is not slow.
    /// </summary>
    public static BucketedTableOptions ItemStorage { get; } = new() { FlushWindow = TimeSpan.FromMilliseconds(250) };


    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await _azurite.InitializeAsync();
        string run = Guid.NewGuid().ToString("N")[..12];
        string storage = _azurite.ConnectionString;
        UserTable = new TableServiceClient(storage).GetTableClient($"users{run}");
        ItemTable = new TableServiceClient(storage).GetTableClient($"items{run}");
        PrototypeContainer = new BlobServiceClient(storage).GetBlobContainerClient(PrototypeContainerName(run));

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureHost(host => host.Logging.AddFilter("Polly", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISentenceEncoder>(_ => new OnnxSentenceEncoder());
            silo.Services.AddPGenRMGrains();
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(TableRequests, Azure.Core.HttpPipelinePosition.PerCall);
            silo.AddPGenRMStorage(storage, new PGenRMStorageNames($"users{run}", $"items{run}", $"tenants{run}", PrototypeContainerName(run)), tableOptions, ItemStorage);
            silo.Services.AddSingleton<ItemApplyGate>();
            silo.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<ItemApplyGate>());
            ConfigureSilo(silo);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>What a subclass adds to each silo, after the common setup.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    private static string PrototypeContainerName(string run) => $"prototypes-{run}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Silos before Azurite: a silo whose storage vanished hangs in shutdown (orleans-platform.md §8.12).
        try
        {
            if (_cluster is not null)
            {
                await _cluster.StopAllSilosAsync();
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            await _azurite.DisposeAsync();
        }
    }
}

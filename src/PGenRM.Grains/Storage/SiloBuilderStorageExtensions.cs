using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using PGenRM.Grains.Log;

namespace PGenRM.Grains.Storage;

/// <summary>Registers the grain storages the PGenRM grains use, as docs/STORAGE.md sets them.</summary>
public static class SiloBuilderStorageExtensions
{
    /// <summary>
    /// The "users" storage's layout: 16 partitions per tenant (a user's checkpoint is one row, so 16 × ~2,000 entities/s
    /// per partition), no flush window (a checkpoint waits for nothing). Part of the stored layout, like the items'.
    /// </summary>
    public static BucketedTableOptions UserStorage { get; } = new() { FlushWindow = TimeSpan.Zero };

    /// <summary>
    /// Adds "tenants" (Orleans' Azure Table storage), "users" and "items" (<see cref="BucketedTableStorage"/>: Azure Table
    /// rows with a row key per grain, written as entity-group transactions) and "prototypes" (Azure Blob storage) on
    /// <paramref name="connectionString"/>, each with <see cref="PGenRMGrainStorageSerializer"/> and
    /// <c>DeleteStateOnClear</c> semantics (deleting a user removes its row), and the <see cref="FeedbackLog"/> (Azure Table).
    /// </summary>
    /// <param name="silo">The silo.</param>
    /// <param name="connectionString">Azure Storage (or Azurite) connection string.</param>
    /// <param name="names">Table and container names; null = <see cref="PGenRMStorageNames.Default"/>.</param>
    /// <param name="tableClientOptions">Options of every table client (the three storages and the log), e.g. a pipeline
    /// policy that counts requests (bench/PGenRM.Scale); null = the SDK's defaults.</param>
    /// <param name="itemStorage">Layout and batching of the "items" storage; null = <see cref="BucketedTableOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">An empty connection string or name.</exception>
    public static ISiloBuilder AddPGenRMStorage(
        this ISiloBuilder silo, string connectionString, PGenRMStorageNames? names = null, TableClientOptions? tableClientOptions = null, BucketedTableOptions? itemStorage = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        names ??= PGenRMStorageNames.Default;
        foreach (var (name, table) in new[] { ("users", names.UsersTable), ("items", names.ItemsTable), ("tenants", names.TenantsTable) })
        {
            if (string.IsNullOrWhiteSpace(table))
            {
                throw new ArgumentException($"The table name of the '{name}' storage is empty.", nameof(names));
            }

            if (name is "items" or "users")
            {
                // Rows with a distinct row key in "{tenant}_{bucket}" partitions (docs/STORAGE.md "Grain rows"). Items
                // are written behind in bulk, so a silo's writes of one tenant share transactions; a user's checkpoint
                // is sent at once (no window), and only checkpoints that meet in flight share one.
                var options = name == "items" ? itemStorage ?? new BucketedTableOptions() : UserStorage;
                options.Validate();
                silo.Services.AddGrainStorage(name, (sp, _) => new BucketedTableStorage(
                    tableClientOptions is null ? new TableClient(connectionString, table) : new TableClient(connectionString, table, tableClientOptions),
                    new PGenRMGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
                    options));
                continue;
            }

            silo.AddAzureTableGrainStorage(name, (OptionsBuilder<AzureTableStorageOptions> o) => o
                .Configure(t =>
                {
                    t.TableServiceClient = tableClientOptions is null ? new TableServiceClient(connectionString) : new TableServiceClient(connectionString, tableClientOptions);
                    t.TableName = table;
                    t.DeleteStateOnClear = true;
                })
                .UsePGenRMSerializer());
        }

        if (string.IsNullOrWhiteSpace(names.PrototypesContainer))
        {
            throw new ArgumentException("The blob container name of the 'prototypes' storage is empty.", nameof(names));
        }

        silo.AddAzureBlobGrainStorage("prototypes", (OptionsBuilder<AzureBlobStorageOptions> o) => o
            .Configure(b =>
            {
                b.BlobServiceClient = new BlobServiceClient(connectionString);
                b.ContainerName = names.PrototypesContainer;
                b.DeleteStateOnClear = true;
            })
            .UsePGenRMSerializer());
        if (string.IsNullOrWhiteSpace(names.LogTable))
        {
            throw new ArgumentException("The table name of the feedback log is empty.", nameof(names));
        }

        string logTable = names.LogTable;
        silo.Services.AddSingleton(sp => new FeedbackLog(
            tableClientOptions is null ? new TableClient(connectionString, logTable) : new TableClient(connectionString, logTable, tableClientOptions),
            sp.GetRequiredService<Serializer>()));
        return silo;
    }
}

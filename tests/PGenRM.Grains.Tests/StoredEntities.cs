using Azure.Data.Tables;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>Reads grain states straight from the Table storage (as Orleans' table provider lays them out).</summary>
internal static class StoredEntities
{
    /// <summary>Binary payload properties: Data, Data1 … Data14 (Orleans splits a state over up to 15 × 64 KiB).</summary>
    public static IReadOnlyList<string> DataProperties => TableChunks.StateProperties;

    /// <summary>The row of one user ("users" storage: row key = the escaped user key, in one of its tenant's partitions).</summary>
    public static Task<List<TableEntity>> OfUserAsync(TableClient table, string userKey, CancellationToken cancellationToken) =>
        OfItemAsync(table, userKey, cancellationToken);

    /// <summary>The row of one item ("items" storage: row key = the escaped item key, in one of its tenant's partitions).</summary>
    public static async Task<List<TableEntity>> OfItemAsync(TableClient table, string itemKey, CancellationToken cancellationToken)
    {
        string rowKey = PGenRM.Grains.Storage.BucketedTableStorage.RowKeyOf(itemKey);
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (entity.RowKey == rowKey)
            {
                rows.Add(entity);
            }
        }

        return rows;
    }

    /// <summary>The state payload, chunks joined in order.</summary>
    public static byte[] Payload(TableEntity entity) =>
        [.. DataProperties.Select(p => entity.TryGetValue(p, out var v) ? v as byte[] ?? (v is BinaryData b ? b.ToArray() : []) : []).SelectMany(x => x)];

    /// <summary>Replaces the payload (one chunk per 64 KiB, as Orleans writes it).</summary>
    public static void SetPayload(TableEntity entity, byte[] payload)
    {
        foreach (string p in DataProperties)
        {
            entity.Remove(p);
        }

        TableChunks.Write(entity, payload, DataProperties);
    }
}

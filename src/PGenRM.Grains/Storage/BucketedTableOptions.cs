namespace PGenRM.Grains.Storage;

/// <summary>The layout and batching of the "items" and "users" storages (<see cref="BucketedTableStorage"/>, docs/STORAGE.md "Items").</summary>
public sealed record BucketedTableOptions
{
    /// <summary>
    /// Partitions per tenant: an item's row lives in partition "{tenant}_{bucket}", bucket = a stable hash of the item
    /// key modulo this. Part of the stored layout: every silo must use the same value, and changing it is a reset of the
    /// items table (derived statistics: <c>rebuild</c> repairs). 16 partitions × Azure's target of ~2,000 entities/s per
    /// partition = 32,000 item rows/s per tenant, about a 1M-user tenant's rate when every judged item is fresh.
    /// </summary>
    public int PartitionsPerTenant { get; init; } = 16;

    /// <summary>Longest a queued row waits for others of its partition before its transaction is sent.</summary>
    public TimeSpan FlushWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most rows in one entity-group transaction (Azure Table's limit is 100).</summary>
    public int MaxRowsPerTransaction { get; init; } = TableChunks.MaxTransactionRows;

    /// <summary>
    /// Most state bytes in one transaction: Azure limits a transaction to 4 MiB and binary properties travel as base64
    /// (4/3), so 2.5 MiB of raw state leaves room for the keys and the multipart framing.
    /// </summary>
    public int MaxBytesPerTransaction { get; init; } = 5 * 512 * 1024;

    /// <summary>
    /// Most write requests (transactions or single writes) in flight per storage and silo. A partition's rows wait in its
    /// queue meanwhile and leave together, so under load writes get fewer and larger instead of more. Without the bound
    /// a silo that deactivated 100,000 users at once opened a connection per checkpoint ("Too many open files in system").
    /// </summary>
    public int MaxConcurrentWrites { get; init; } = 64;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PartitionsPerTenant, 1, nameof(PartitionsPerTenant));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PartitionsPerTenant, 4096, nameof(PartitionsPerTenant));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushWindow, TimeSpan.Zero, nameof(FlushWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRowsPerTransaction, 1, nameof(MaxRowsPerTransaction));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRowsPerTransaction, TableChunks.MaxTransactionRows, nameof(MaxRowsPerTransaction));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerTransaction, 1, nameof(MaxBytesPerTransaction));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentWrites, 1, nameof(MaxConcurrentWrites));
    }
}

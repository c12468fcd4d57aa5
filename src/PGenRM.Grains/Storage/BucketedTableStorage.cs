using Azure;
using Azure.Data.Tables;
using Orleans.Storage;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Log;

namespace PGenRM.Grains.Storage;

/// <summary>
/// The "items" and "users" grain storage: states of grains keyed "{tenant}/{id}" as Azure Table rows grouped so that a
/// silo's writes of one tenant go out as entity-group transactions (docs/STORAGE.md "Items"). Partition
/// "{tenant}_{bucket}" (bucket = a stable hash of the grain key modulo <see cref="BucketedTableOptions.PartitionsPerTenant"/>),
/// row key = the escaped grain key, distinct per grain (Orleans' table provider gives every grain of a type the same
/// row key, which Azurite answers by scanning them all), the state in binary properties <c>Data</c>, <c>Data1</c>… of 64 KiB.
/// </summary>
/// <remarks>
/// A write is queued with its partition and the caller waits for it: a partition's queue is sent as one transaction
/// when <see cref="BucketedTableOptions.MaxRowsPerTransaction"/> rows (or <see cref="BucketedTableOptions.MaxBytesPerTransaction"/>)
/// wait, or <see cref="BucketedTableOptions.FlushWindow"/> after its first row; a lone row is a plain insert or update.
/// Each row keeps its own ETag condition (insert for a state never stored, replace-if-match otherwise). When a
/// transaction fails on one row, that row's writer gets the failure (an ETag conflict as
/// <see cref="InconsistentStateException"/>, which the grain re-reads and re-applies) and the other rows are sent again.
/// At most <see cref="BucketedTableOptions.MaxConcurrentWrites"/> write requests are in flight; a partition's rows wait
/// for a slot in its queue and leave together. Reads stay point reads (one per activation, found or not).
/// </remarks>
public sealed class BucketedTableStorage : IGrainStorage
{
    private readonly TableClient _table;
    private readonly IGrainStorageSerializer _serializer;
    private readonly BucketedTableOptions _options;
    private readonly Lazy<Task> _created;
    private readonly Dictionary<string, PartitionQueue> _queues = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeSlots;
    private long _reads, _readsFound, _singleWrites, _transactions, _transactionRows, _conflicts, _deletes;

    /// <summary>Creates the storage on <paramref name="table"/> (created on first use).</summary>
    public BucketedTableStorage(TableClient table, IGrainStorageSerializer serializer, BucketedTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(serializer);
        _options = options ?? new BucketedTableOptions();
        _options.Validate();
        _table = table;
        _serializer = serializer;
        _writeSlots = new SemaphoreSlim(_options.MaxConcurrentWrites);
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The table (tests read it).</summary>
    public TableClient Table => _table;

    /// <summary>The options in use.</summary>
    public BucketedTableOptions Options => _options;

    /// <summary>What was sent so far.</summary>
    public BucketedTableCounts Counts => new(
        Interlocked.Read(ref _reads), Interlocked.Read(ref _readsFound), Interlocked.Read(ref _singleWrites), Interlocked.Read(ref _transactions),
        Interlocked.Read(ref _transactionRows), Interlocked.Read(ref _conflicts), Interlocked.Read(ref _deletes));

    /// <summary>The partition key of a grain key ("{tenant}/{id}"): "{tenant}_{bucket}", bucket in hex of a fixed width.</summary>
    /// <exception cref="FormatException">Not a "{tenant}/{id}" key.</exception>
    public string PartitionKeyOf(string itemKey)
    {
        var (tenant, _) = GrainKeys.Parse(itemKey);

        // '_' never occurs in a tenant (GrainKeys), so "{tenant}_" prefixes exactly that tenant's partitions.
        return $"{TableKeys.Escape(tenant)}_{Bucket(itemKey, _options.PartitionsPerTenant):x3}";
    }

    /// <summary>The row key of a grain: its escaped key.</summary>
    public static string RowKeyOf(string itemKey) => TableKeys.Escape(itemKey);

    /// <summary>The bucket of <paramref name="itemKey"/>: FNV-1a over its UTF-16 code units, stable across processes (string.GetHashCode is not).</summary>
    public static int Bucket(string itemKey, int buckets)
    {
        ArgumentNullException.ThrowIfNull(itemKey);
        uint hash = 2166136261;
        foreach (char c in itemKey)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % (uint)buckets);
    }

    /// <summary>The state bytes of a row (its chunks joined).</summary>
    public static byte[] Payload(TableEntity row) => TableChunks.Read(row, TableChunks.StateProperties);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string key = grainId.Key.ToString()!;
        await EnsureCreatedAsync();
        Interlocked.Increment(ref _reads);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(key), RowKeyOf(key));
        if (response.HasValue)
        {
            Interlocked.Increment(ref _readsFound);
            grainState.State = _serializer.Deserialize<T>(new BinaryData(Payload(response.Value!)))!;
            grainState.ETag = response.Value!.ETag.ToString();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string key = grainId.Key.ToString()!;
        byte[] data = _serializer.Serialize(grainState.State).ToArray();
        if (!TableChunks.Fits(data.Length))
        {
            throw new InvalidOperationException($"Grain {key}: its state takes {data.Length} bytes; a row holds at most {TableChunks.MaxChunks * TableChunks.ChunkSize}.");
        }

        var row = new TableEntity(PartitionKeyOf(key), RowKeyOf(key));
        TableChunks.Write(row, data, TableChunks.StateProperties);

        var action = grainState.ETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(grainState.ETag));
        await EnsureCreatedAsync();
        var pending = new PendingRow(key, action, data.Length);
        Enqueue(row.PartitionKey, pending);
        var etag = await pending.Done.Task;
        grainState.ETag = etag.ToString();
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string key = grainId.Key.ToString()!;
        if (grainState.ETag is not null)
        {
            await EnsureCreatedAsync();
            try
            {
                // DeleteStateOnClear semantics: the row goes (only if nobody changed it since it was read).
                await _table.DeleteEntityAsync(PartitionKeyOf(key), RowKeyOf(key), new ETag(grainState.ETag));
                Interlocked.Increment(ref _deletes);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                Interlocked.Increment(ref _conflicts);
                throw Conflict(key, grainState.ETag, e);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private Task EnsureCreatedAsync() => _created.Value;

    private void Enqueue(string partition, PendingRow row)
    {
        List<PendingRow>? full = null;
        PartitionQueue? armed = null;
        lock (_queues)
        {
            if (!_queues.TryGetValue(partition, out var queue))
            {
                queue = new PartitionQueue();
                _queues[partition] = queue;
            }

            queue.Rows.Add(row);
            queue.Bytes += row.Bytes;
            if (queue.Rows.Count >= _options.MaxRowsPerTransaction || queue.Bytes >= _options.MaxBytesPerTransaction)
            {
                full = TakeLocked(partition, queue);
            }
            else if (!queue.Armed)
            {
                queue.Armed = true;
                armed = queue;
            }
        }

        if (full is not null)
        {
            _ = Task.Run(() => SendInSlotAsync(() => full));
        }
        else if (armed is not null)
        {
            _ = FlushLaterAsync(partition, armed);
        }
    }

    private async Task FlushLaterAsync(string partition, PartitionQueue armed)
    {
        await Task.Delay(_options.FlushWindow).ConfigureAwait(false);
        await SendInSlotAsync(() =>
        {
            lock (_queues)
            {
                // Only the queue this delay was armed for: a full one was sent already and a newer one has its own delay.
                return _queues.TryGetValue(partition, out var queue) && ReferenceEquals(queue, armed) ? TakeLocked(partition, queue) : null;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a write slot, then takes the rows (<paramref name="take"/>) and sends them: the slot first, so that rows
    /// arriving while every slot is busy join their partition's queue and leave with it.
    /// </summary>
    private async Task SendInSlotAsync(Func<List<PendingRow>?> take)
    {
        await _writeSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            if (take() is { Count: > 0 } rows)
            {
                await SendAsync(rows).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeSlots.Release();
        }
    }

    private List<PendingRow> TakeLocked(string partition, PartitionQueue queue)
    {
        // The queue goes with its rows: a partition nobody writes to again leaves nothing behind.
        _queues.Remove(partition);
        queue.Armed = false;
        return queue.Rows;
    }

    /// <summary>Sends rows of one partition until every writer has its answer: a failed row is answered and the rest go again.</summary>
    private async Task SendAsync(List<PendingRow> rows)
    {
        while (rows.Count > 0)
        {
            if (rows.Count == 1)
            {
                await SendOneAsync(rows[0]).ConfigureAwait(false);
                return;
            }

            try
            {
                Interlocked.Increment(ref _transactions);
                var response = await _table.SubmitTransactionAsync(rows.Select(r => r.Action)).ConfigureAwait(false);
                Interlocked.Add(ref _transactionRows, rows.Count);
                for (int i = 0; i < rows.Count; i++)
                {
                    rows[i].Done.TrySetResult(response.Value[i].Headers.ETag ?? default);
                }

                return;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int index && index >= 0 && index < rows.Count)
            {
                rows[index].Done.TrySetException(Map(rows[index], e));
                rows.RemoveAt(index);
            }
            catch (Exception e)
            {
                foreach (var row in rows)
                {
                    row.Done.TrySetException(e);
                }

                return;
            }
        }
    }

    private async Task SendOneAsync(PendingRow row)
    {
        try
        {
            var entity = (TableEntity)row.Action.Entity;
            var response = row.Action.ActionType == TableTransactionActionType.Add
                ? await _table.AddEntityAsync(entity).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, row.Action.ETag, TableUpdateMode.Replace).ConfigureAwait(false);
            Interlocked.Increment(ref _singleWrites);
            row.Done.TrySetResult(response.Headers.ETag ?? default);
        }
        catch (RequestFailedException e)
        {
            row.Done.TrySetException(Map(row, e));
        }
        catch (Exception e)
        {
            row.Done.TrySetException(e);
        }
    }

    private Exception Map(PendingRow row, RequestFailedException e)
    {
        // 409: inserted by another writer since this one read nothing; 412: changed since it was read.
        if (e.Status is 409 or 412)
        {
            Interlocked.Increment(ref _conflicts);
            return Conflict(row.Key, row.Action.ETag == default ? null : row.Action.ETag.ToString(), e);
        }

        return e;
    }

    private static InconsistentStateException Conflict(string key, string? etag, Exception e) =>
        new($"Grain {key}: its row changed since it was read (ETag {etag ?? "none: the row was new"}).", "unknown", etag ?? "", e);

    private sealed class PartitionQueue
    {
        public List<PendingRow> Rows { get; } = [];

        public long Bytes { get; set; }

        public bool Armed { get; set; }
    }

    private sealed class PendingRow(string key, TableTransactionAction action, int bytes)
    {
        public string Key { get; } = key;

        public TableTransactionAction Action { get; } = action;

        public int Bytes { get; } = bytes;

        public TaskCompletionSource<ETag> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

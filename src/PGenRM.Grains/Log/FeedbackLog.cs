using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Orleans.Serialization;

using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Log;

/// <summary>
/// The append-only feedback log, the source of truth (docs/STORAGE.md): one Azure Table row per accepted feedback
/// operation, partition = the user key ("{tenant}/{user}", escaped), row key = the feedback id (escaped), so the store
/// itself rejects a repeated id (409). A row is written once and never updated; only deleting the user removes it.
/// </summary>
/// <remarks>
/// The row holds <c>Seq</c> (the user's log sequence, for the tail replay) and the entry Brotli-compressed in binary
/// chunks <c>Data0</c>… of at most 64 KiB each (Azure Table's limit per binary property), at most
/// <see cref="TableChunks.MaxChunks"/> of them (entity limit 1 MiB).
/// </remarks>
public sealed class FeedbackLog
{
    /// <summary>Most entries in one append (an entity-group transaction's limit).</summary>
    public const int MaxBatch = TableChunks.MaxTransactionRows;

    /// <summary>
    /// Row key of the user's marker row, written (upserted) in the transaction of the user's first entry, so an
    /// activation with no stored state learns by one point read whether the user has a log at all: "%user-" and 32 hex
    /// digits of the SHA-256 of the user key. <see cref="TableKeys.Escape"/> writes every '%' as "%XX" with two hex
    /// digits, so no escaped feedback id starts with "%u". Distinct per user on purpose: Azurite finds a row by its
    /// row key first (an index) and then scans the rows sharing it for the partition key, so one row key shared by
    /// every user's marker would make each marker read a scan over all users (docs/BENCHMARKS.md, "Azurite").
    /// </summary>
    public static string MarkerRowKey(string userKey) =>
        MarkerPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userKey)).AsSpan(0, 16));

    /// <summary>Whether a row of the log table is a user's marker row, not an entry.</summary>
    public static bool IsMarker(string rowKey) => rowKey.StartsWith(MarkerPrefix, StringComparison.Ordinal);

    private const string MarkerPrefix = "%user-";

    private readonly TableClient _table;
    private readonly Serializer _serializer;
    private readonly Lazy<Task> _created;

    /// <summary>Creates the log on <paramref name="table"/> (created on first use).</summary>
    public FeedbackLog(TableClient table, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(serializer);
        _table = table;
        _serializer = serializer;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The table (tests and the rebuild command read it).</summary>
    public TableClient Table => _table;

    /// <summary>
    /// Appends a user's entries in one entity-group transaction (one insert for a single entry; the user's first entry,
    /// sequence 1, carries the marker row, <see cref="MarkerRowKey"/>, in the same transaction). Returns false, writing
    /// nothing, when a row with one of the feedback ids already exists.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxBatch"/> entries.</exception>
    /// <exception cref="InvalidRequestException">An entry too large for a row (the client's texts).</exception>
    public async Task<bool> TryAppendAsync(string userKey, IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count is 0 or > MaxBatch)
        {
            throw new ArgumentException($"A log append holds 1–{MaxBatch} entries, got {entries.Count}.", nameof(entries));
        }

        var actions = entries.Select(e => new TableTransactionAction(TableTransactionActionType.Add, ToRow(userKey, e))).ToList();
        if (entries.Any(e => e.Sequence == 1))
        {
            // An upsert, so the marker itself never conflicts: a 409 always means a repeated feedback id.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(TableKeys.Escape(userKey), MarkerRowKey(userKey))));
        }

        await EnsureCreatedAsync(cancellationToken);
        try
        {
            if (actions.Count == 1)
            {
                await _table.AddEntityAsync(actions[0].Entity, cancellationToken);
            }
            else
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>One entry by feedback id, or null.</summary>
    public async Task<LogEntry?> GetAsync(string userKey, string feedbackId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(userKey), TableKeys.Escape(feedbackId), cancellationToken: cancellationToken);
        return response.HasValue ? FromRow(response.Value!) : null;
    }

    /// <summary>
    /// Whether the user has a log: one point read of its marker row. The activation of a user with no stored state
    /// asks this before reading the log tail, so a new user costs no partition query (Azurite answers every query by
    /// scanning the whole table: docs/BENCHMARKS.md, "Azurite: queries scan the table").
    /// </summary>
    public async Task<bool> HasEntriesAsync(string userKey, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        var marker = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(userKey), MarkerRowKey(userKey), select: ["RowKey"], cancellationToken: cancellationToken);
        return marker.HasValue;
    }

    /// <summary>The user's entries with a sequence above <paramref name="sequence"/>, in sequence order (the tail a checkpoint lacks).</summary>
    public async Task<List<LogEntry>> ReadAfterAsync(string userKey, long sequence, CancellationToken cancellationToken = default)
    {
        var list = new List<LogEntry>();
        await foreach (var entry in QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(userKey)} and Seq gt {sequence}"), cancellationToken))
        {
            list.Add(entry);
        }

        list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <summary>All of a user's entries, in sequence order.</summary>
    public Task<List<LogEntry>> ReadAllAsync(string userKey, CancellationToken cancellationToken = default) =>
        ReadAfterAsync(userKey, long.MinValue, cancellationToken);

    /// <summary>Every entry of every user (the rebuild command's replay), partition by partition.</summary>
    public async IAsyncEnumerable<(string UserKey, LogEntry Entry)> ReadEverythingAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await foreach (var row in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (!IsMarker(row.RowKey))
            {
                yield return (TableKeys.Unescape(row.PartitionKey), FromRow(row));
            }
        }
    }

    /// <summary>
    /// Every entry of one tenant's users (the rebuild's replay), by a partition-key range scan: the user keys
    /// "{tenant}/{user}" escape to "{tenant}%2F{user}", so the tenant's partitions are exactly those in
    /// ["{tenant}%2F", "{tenant}%2G").
    /// </summary>
    public async IAsyncEnumerable<(string UserKey, LogEntry Entry)> ReadTenantAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        string from = TableKeys.Escape(tenant + "/"), to = from[..^1] + (char)(from[^1] + 1);
        await EnsureCreatedAsync(cancellationToken);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {to}"), cancellationToken: cancellationToken))
        {
            if (!IsMarker(row.RowKey))
            {
                yield return (TableKeys.Unescape(row.PartitionKey), FromRow(row));
            }
        }
    }

    /// <summary>Deletes every row of a user, its marker included (batches of <see cref="MaxBatch"/>); returns how many entries.</summary>
    public async Task<int> DeleteUserAsync(string userKey, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        string partition = TableKeys.Escape(userKey);
        var keys = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row);
        }

        foreach (var chunk in keys.Chunk(MaxBatch))
        {
            await _table.SubmitTransactionAsync(
                chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k.RowKey), ETag.All)), cancellationToken);
        }

        return keys.Count(k => !IsMarker(k.RowKey));
    }

    /// <summary>The stored size of an entry's row payload in bytes (what a feedback writes to the log, keys aside).</summary>
    public int PayloadBytes(LogEntry entry) => Compress(_serializer.SerializeToArray(entry)).Length;

    private async IAsyncEnumerable<LogEntry> QueryAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromRow(row);
        }
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken) => _created.Value.WaitAsync(cancellationToken);

    private TableEntity ToRow(string userKey, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] data = Compress(_serializer.SerializeToArray(entry));
        if (!TableChunks.Fits(data.Length))
        {
            // The client's texts are too large for one row: its mistake (400), not a bug.
            throw new InvalidRequestException(
                "texts", $"Feedback {entry.FeedbackId} takes {data.Length} bytes compressed; a log row holds at most {TableChunks.MaxChunks * TableChunks.ChunkSize}. Send shorter texts.");
        }

        var row = new TableEntity(TableKeys.Escape(userKey), TableKeys.Escape(entry.FeedbackId)) { ["Seq"] = entry.Sequence };
        TableChunks.Write(row, data, TableChunks.LogProperties);
        return row;
    }

    private LogEntry FromRow(TableEntity row)
    {
        using var all = new MemoryStream(TableChunks.Read(row, TableChunks.LogProperties));
        using var brotli = new BrotliStream(all, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        brotli.CopyTo(raw);
        return _serializer.Deserialize<LogEntry>(raw.ToArray())
            ?? throw new InvalidDataException($"Log row {row.PartitionKey}/{row.RowKey} holds no entry.");
    }

    private static byte[] Compress(byte[] data)
    {
        // One-shot at the quality BrotliStream's CompressionLevel.Fastest uses (1), into a pooled buffer: no stream or
        // encoder objects per row. Window 22 is the stream's default, so rows read back the same way.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(data.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(data, buffer, out int written, quality: 1, window: 22))
            {
                throw new InvalidOperationException($"Brotli could not compress {data.Length} bytes into {buffer.Length}.");
            }

            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

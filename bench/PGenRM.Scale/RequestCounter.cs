using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Scale;

/// <summary>
/// Counts the storage requests the silo's table clients send, by table and by kind (read: GET; write: POST, PUT,
/// MERGE, PATCH, DELETE of one entity; transaction: an entity-group transaction, "$batch", attributed to the table its
/// operations name, with its operations counted as rows), so the bench reports requests per feedback as measured, not
/// as designed.
/// </summary>
internal sealed partial class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<(string Table, RequestKind Kind), long> _counts = new();
    private readonly ConcurrentDictionary<string, long> _transactionRows = new(StringComparer.Ordinal);

    /// <summary>A copy of the counts now.</summary>
    public Dictionary<(string Table, RequestKind Kind), long> Snapshot() => new(_counts);

    /// <summary>A copy of the rows sent in transactions now, by table.</summary>
    public Dictionary<string, long> TransactionRows() => new(_transactionRows);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        string table = TableOf(request.Uri.Path);
        if (table == "$batch")
        {
            // The changeset's operations name their table: "POST http://…/{account}/{table}?$format=… HTTP/1.1" or "PUT …/{table}(PartitionKey=…)…".
            using var body = new MemoryStream();
            request.Content?.WriteTo(body, message.CancellationToken);
            var operations = Operation().Matches(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
            table = operations.Count > 0 ? operations[0].Groups[1].Value : "$batch";
            _transactionRows.AddOrUpdate(table, operations.Count, (_, n) => n + operations.Count);
            _counts.AddOrUpdate((table, RequestKind.Transaction), 1, (_, n) => n + 1);
            return;
        }

        var kind = request.Method == RequestMethod.Get || request.Method == RequestMethod.Head ? RequestKind.Read : RequestKind.Write;
        _counts.AddOrUpdate((table, kind), 1, (_, n) => n + 1);
    }

    /// <summary>Requests of <paramref name="table"/> of one kind between two snapshots.</summary>
    public static long Between(Dictionary<(string Table, RequestKind Kind), long> before, Dictionary<(string Table, RequestKind Kind), long> after, string table, RequestKind kind) =>
        after.GetValueOrDefault((table, kind)) - before.GetValueOrDefault((table, kind));

    /// <summary>Reads (<paramref name="write"/> false) or single-entity writes of <paramref name="table"/> between two snapshots.</summary>
    public static long Between(Dictionary<(string Table, RequestKind Kind), long> before, Dictionary<(string Table, RequestKind Kind), long> after, string table, bool write) =>
        Between(before, after, table, write ? RequestKind.Write : RequestKind.Read);

    // Path "/{account}/{table}(PartitionKey='…',RowKey='…')", "/{account}/{table}()", "/{account}/Tables" or "/{account}/$batch".
    private static string TableOf(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string last = parts.Length == 0 ? "" : parts[^1];
        int paren = last.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? last[..paren] : last;
    }

    [GeneratedRegex(@"^(?:POST|PUT|MERGE|PATCH|DELETE) \S*/([A-Za-z][A-Za-z0-9]*)(?:[(?]\S*)? HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex Operation();
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Scale;

/// <summary>
/// Counts the storage requests the silo's table clients send, by table and by kind (write: POST, PUT, MERGE, PATCH,
/// DELETE; read: GET), so the bench reports requests per feedback as measured, not as designed.
/// </summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<(string Table, bool Write), long> _counts = new();

    /// <summary>A copy of the counts now.</summary>
    public Dictionary<(string Table, bool Write), long> Snapshot() => new(_counts);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        bool write = request.Method != RequestMethod.Get && request.Method != RequestMethod.Head;
        _counts.AddOrUpdate((TableOf(request.Uri.Path), write), 1, (_, n) => n + 1);
    }

    /// <summary>Requests of <paramref name="table"/> (writes or reads) between two snapshots.</summary>
    public static long Between(Dictionary<(string Table, bool Write), long> before, Dictionary<(string Table, bool Write), long> after, string table, bool write) =>
        after.GetValueOrDefault((table, write)) - before.GetValueOrDefault((table, write));

    // Path "/{account}/{table}(PartitionKey='…',RowKey='…')", "/{account}/{table}()", "/{account}/Tables" or "/{account}/$batch".
    private static string TableOf(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string last = parts.Length == 0 ? "" : parts[^1];
        int paren = last.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? last[..paren] : last;
    }
}

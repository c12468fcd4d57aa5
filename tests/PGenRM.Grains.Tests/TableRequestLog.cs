using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Records the table requests the silos' table clients send (method, path with its query string, and a write's body),
/// so a test can assert which storage requests an operation made.
/// </summary>
public sealed partial class TableRequestLog : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, string Path, string Body)> _requests = new();

    /// <summary>Reads (GET) of one table that name <paramref name="partitionKey"/>: point reads in their path, queries in their filter.</summary>
    public List<string> ReadsOf(string table, string partitionKey) =>
        [.. _requests.Where(r => r.Method == "GET" && r.Path.Contains("/" + table + "(", StringComparison.Ordinal) && r.Path.Contains($"'{partitionKey}'", StringComparison.Ordinal)).Select(r => r.Path)];

    /// <summary>
    /// Write requests whose path or body contains <paramref name="text"/> (e.g. a tenant's item partition prefix
    /// "{tenant}_"): single-entity writes and entity-group transactions ("$batch").
    /// </summary>
    public (long Singles, long Transactions) WritesNaming(string text)
    {
        var writes = _requests.Where(r => r.Method is not ("GET" or "HEAD") && (r.Path.Contains(text, StringComparison.Ordinal) || r.Body.Contains(text, StringComparison.Ordinal))).ToList();
        long transactions = writes.Count(r => r.Path.EndsWith("$batch", StringComparison.Ordinal));
        return (writes.Count - transactions, transactions);
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        // The path of a point read names its keys; a query's filter is in the query string, kept here with the path
        // (the response format parameter aside, which every request carries). A transaction names its rows in its body.
        var request = message.Request;
        string path = "/" + Uri.UnescapeDataString(request.Uri.PathAndQuery).TrimStart('/');
        path = Format().Replace(path, "").Replace("?&", "?", StringComparison.Ordinal).TrimEnd('?');
        string body = "";
        if (request.Method != RequestMethod.Get && request.Content is not null)
        {
            using var stream = new MemoryStream();
            request.Content.WriteTo(stream, message.CancellationToken);
            body = Uri.UnescapeDataString(System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        }

        _requests.Enqueue((request.Method.ToString(), path, body));
    }

    [GeneratedRegex(@"\$format=[^&]*&?")]
    private static partial Regex Format();
}

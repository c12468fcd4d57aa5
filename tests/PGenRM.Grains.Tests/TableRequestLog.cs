using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Records the table requests the silos' table clients send (method and path, query string aside), so a test can
/// assert which storage requests an operation made.
/// </summary>
public sealed partial class TableRequestLog : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

    /// <summary>Every request so far, in the order sent.</summary>
    public IReadOnlyList<(string Method, string Path)> Requests => [.. _requests];

    /// <summary>Reads (GET) of one table that name <paramref name="partitionKey"/>: point reads in their path, queries in their filter.</summary>
    public List<string> ReadsOf(string table, string partitionKey) =>
        [.. _requests.Where(r => r.Method == "GET" && r.Path.Contains("/" + table + "(", StringComparison.Ordinal) && r.Path.Contains($"'{partitionKey}'", StringComparison.Ordinal)).Select(r => r.Path)];

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        // The path of a point read names its keys; a query's filter is in the query string, kept here with the path
        // (the response format parameter aside, which every request carries).
        string path = "/" + Uri.UnescapeDataString(message.Request.Uri.PathAndQuery).TrimStart('/');
        path = Format().Replace(path, "").Replace("?&", "?", StringComparison.Ordinal).TrimEnd('?');
        _requests.Enqueue((message.Request.Method.ToString(), path));
    }

    [GeneratedRegex(@"\$format=[^&]*&?")]
    private static partial Regex Format();
}

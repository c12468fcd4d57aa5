using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Counts the write requests of the cluster's table clients that carry item rows of a watched tenant (its partition
/// prefix "{tenant}_" in the URL or the body): single writes and entity-group transactions. Per tenant, so the
/// write-behind of other tests' items in the shared cluster does not count.
/// </summary>
internal sealed class ItemWriteWatcher : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long[]> _watched = new(StringComparer.Ordinal);

    /// <summary>Starts counting <paramref name="tenant"/>'s item writes.</summary>
    public void Watch(string tenant) => _watched.TryAdd(tenant, new long[2]);

    /// <summary>Single writes and transactions counted for <paramref name="tenant"/> so far.</summary>
    public (long Singles, long Transactions) Of(string tenant) =>
        _watched.TryGetValue(tenant, out var counts) ? (Interlocked.Read(ref counts[0]), Interlocked.Read(ref counts[1])) : (0, 0);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        if (_watched.IsEmpty || message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            return;
        }

        string path = message.Request.Uri.Path;
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, message.CancellationToken);
        string text = Uri.UnescapeDataString(path) + System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        int kind = path.EndsWith("$batch", StringComparison.Ordinal) ? 1 : 0;
        foreach (var (tenant, counts) in _watched)
        {
            if (text.Contains(tenant + "_", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref counts[kind]);
            }
        }
    }
}

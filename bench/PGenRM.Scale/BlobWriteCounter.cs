using Azure.Core;
using Azure.Core.Pipeline;

namespace PGenRM.Scale;

/// <summary>
/// Counts the blob writes (PUT) the silo's "prototypes" storage sends and their bytes: a prototype's state is a
/// fixed-size blob (docs/STORAGE.md "Prototypes"), so its writes cost Azurite in bytes what the tables cost in requests.
/// </summary>
internal sealed class BlobWriteCounter : HttpPipelineSynchronousPolicy
{
    private long _writes;
    private long _bytes;

    /// <summary>Writes and bytes so far.</summary>
    public (long Writes, long Bytes) Snapshot() => (Interlocked.Read(ref _writes), Interlocked.Read(ref _bytes));

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Put)
        {
            return;
        }

        Interlocked.Increment(ref _writes);
        if (message.Request.Content?.TryComputeLength(out long length) == true)
        {
            Interlocked.Add(ref _bytes, length);
        }
    }
}

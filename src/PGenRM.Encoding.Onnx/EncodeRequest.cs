namespace PGenRM.Encoding.Onnx;

/// <summary>
/// One caller's texts waiting for the batching loop. A whole <c>EncodeBatchAsync</c> call is one request, so its texts reach
/// the loop together and are sorted and batched with everything else pending.
/// </summary>
internal sealed class EncodeRequest
{
    private int _remaining;

    public EncodeRequest(string[] texts, EmbeddingCacheKey[] keys)
    {
        Texts = texts;
        Keys = keys;
        Results = new float[texts.Length][];
        _remaining = texts.Length;
    }

    public string[] Texts { get; }

    public EmbeddingCacheKey[] Keys { get; }

    public float[][] Results { get; }

    // Continuations run asynchronously so that completing a request never runs caller code on the loop thread.
    public TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsCompleted => Completion.Task.IsCompleted;

    public void SetResult(int index, float[] embedding)
    {
        Results[index] = embedding;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Completion.TrySetResult(Results);
        }
    }

    public void Fail(Exception exception) => Completion.TrySetException(exception);
}

using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Runs the BERT graph on a batch of token id arrays: pads to the batch's longest, requests only <c>last_hidden_state</c>,
/// mean-pools over the attention mask and L2-normalises. Not thread-safe (reuses input buffers): the batching loop owns it.
/// </summary>
internal sealed class BertEmbeddingRunner : IDisposable
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private const string LastHiddenState = "last_hidden_state";
    private const int ClsId = 101;
    private const int SepId = 102;

    private static readonly string[] InputNames = [InputIds, AttentionMask, TokenTypeIds];
    private static readonly string[] OutputNames = [LastHiddenState];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private long[] _ids = [];
    private long[] _mask = [];
    private long[] _types = []; // stays all zeros: single-sentence inputs

    public BertEmbeddingRunner(InferenceSession session)
    {
        _session = session;
        foreach (var name in InputNames)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new InvalidDataException(
                    $"The ONNX model has no input '{name}' (inputs: {string.Join(", ", session.InputMetadata.Keys)}).");
            }
        }

        if (!session.OutputMetadata.ContainsKey(LastHiddenState))
        {
            throw new InvalidDataException(
                $"The ONNX model has no output '{LastHiddenState}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        // The hidden size comes from a real output shape: metadata may report -1 (e.g. with graph optimisation off).
        // This first run also pays the one-off allocation cost before any caller waits on it.
        Dimension = Run([[ClsId, SepId]])[0].Length;
    }

    /// <summary>Embedding length, read from the model's output.</summary>
    public int Dimension { get; }

    /// <summary>Embeds each token id array (already including [CLS]/[SEP] and truncated) into a unit vector.</summary>
    public float[][] Run(IReadOnlyList<int[]> batch)
    {
        var count = batch.Count;
        var length = 0;
        foreach (var ids in batch)
        {
            length = Math.Max(length, ids.Length);
        }

        var size = checked(count * length);
        EnsureCapacity(size);
        for (var b = 0; b < count; b++)
        {
            var ids = batch[b];
            var row = b * length;
            for (var t = 0; t < length; t++)
            {
                // Pad id and pad mask are both 0.
                var real = t < ids.Length;
                _ids[row + t] = real ? ids[t] : 0;
                _mask[row + t] = real ? 1 : 0;
            }
        }

        long[] shape = [count, length];
        var memoryInfo = OrtMemoryInfo.DefaultInstance;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(memoryInfo, _ids.AsMemory(0, size), shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(memoryInfo, _mask.AsMemory(0, size), shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(memoryInfo, _types.AsMemory(0, size), shape);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);

        var hidden = outputs[0];
        var outShape = hidden.GetTensorTypeAndShape().Shape;
        if (outShape.Length != 3 || outShape[0] != count || outShape[1] != length)
        {
            throw new InvalidDataException(
                $"'{LastHiddenState}' has shape [{string.Join(", ", outShape)}]; expected [{count}, {length}, hidden].");
        }

        var dimension = checked((int)outShape[2]);
        var data = hidden.GetTensorDataAsSpan<float>();
        var result = new float[count][];
        for (var b = 0; b < count; b++)
        {
            // Mean over the real tokens (the mask is 1 exactly for the first ids.Length positions), then L2-normalise,
            // as sentence-transformers' Pooling(mean) + Normalize modules do.
            var tokens = batch[b].Length;
            var embedding = new float[dimension];
            var rowStart = b * length * dimension;
            for (var t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(embedding, data.Slice(rowStart + (t * dimension), dimension), embedding);
            }

            TensorPrimitives.Divide(embedding, Math.Max(tokens, 1), embedding);
            var norm = TensorPrimitives.Norm<float>(embedding);
            TensorPrimitives.Divide(embedding, MathF.Max(norm, 1e-12f), embedding);
            result[b] = embedding;
        }

        return result;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private void EnsureCapacity(int size)
    {
        if (_ids.Length >= size)
        {
            return;
        }

        // Grow geometrically; bounded by MaxPaddedTokensPerBatch, so at most a few hundred KB per buffer.
        var capacity = Math.Max(size, _ids.Length * 2);
        _ids = new long[capacity];
        _mask = new long[capacity];
        _types = new long[capacity];
    }
}

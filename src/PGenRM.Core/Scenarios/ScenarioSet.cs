using System.Numerics.Tensors;
using PGenRM.Core.Criteria;
using PGenRM.Core.Encoding;

namespace PGenRM.Core.Scenarios;

/// <summary>
/// Assigns a query to scenarios: a softmax over the cosine similarities between the query embedding and each
/// scenario centroid (the normalised mean of its description embeddings). Immutable and thread-safe.
/// </summary>
public sealed class ScenarioSet
{
    private readonly Scenario[] _scenarios;
    private readonly float[] _centroids;

    private ScenarioSet(ScenarioSetDefinition definition, string encoderModelId, int dimension, float[] centroids)
    {
        Version = definition.Version;
        Temperature = definition.Temperature;
        EncoderModelId = encoderModelId;
        Dimension = dimension;
        _scenarios = [.. definition.Scenarios];
        Scenarios = Array.AsReadOnly(_scenarios);
        _centroids = centroids;
    }

    /// <summary>The definition's version label (for example <c>scenarios-v1</c>).</summary>
    public string Version { get; }

    /// <summary>The softmax temperature.</summary>
    public double Temperature { get; }

    /// <summary>The <see cref="ISentenceEncoder.ModelId"/> of the encoder the centroids come from.</summary>
    public string EncoderModelId { get; }

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>The scenarios, in weight order.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; }

    /// <summary>Number of scenarios.</summary>
    public int Count => _scenarios.Length;

    /// <summary>Embeds every scenario description in one batch and builds the centroids.</summary>
    /// <param name="encoder">The sentence encoder whose query embeddings will later be assigned.</param>
    /// <param name="definition">The set definition; <see cref="ScenarioSetDefinition.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the encoding.</param>
    /// <exception cref="ArgumentException">The definition is invalid.</exception>
    /// <exception cref="InvalidOperationException">The encoder returned malformed vectors.</exception>
    public static async Task<ScenarioSet> CreateAsync(
        ISentenceEncoder encoder, ScenarioSetDefinition? definition = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        definition ??= ScenarioSetDefinition.Default;
        definition.Validate();
        var dimension = encoder.Dimension;
        if (dimension <= 0)
        {
            throw new ArgumentException($"Encoder '{encoder.ModelId}' reports dimension {dimension}.", nameof(encoder));
        }

        var texts = definition.Scenarios.SelectMany(s => s.Descriptions).ToList();
        var embeddings = await encoder.EncodeBatchAsync(texts, cancellationToken).ConfigureAwait(false);
        if (embeddings is null || embeddings.Length != texts.Count || embeddings.Any(e => e is null || e.Length != dimension))
        {
            throw new InvalidOperationException(
                $"Encoder '{encoder.ModelId}' returned malformed embeddings for {texts.Count} scenario texts.");
        }

        var centroids = new float[definition.Scenarios.Count * dimension];
        var offset = 0;
        for (var s = 0; s < definition.Scenarios.Count; s++)
        {
            var count = definition.Scenarios[s].Descriptions.Count;
            EmbeddingMath.NormalizedMean(embeddings.Skip(offset).Take(count), dimension)
                .CopyTo(centroids.AsSpan(s * dimension, dimension));
            offset += count;
        }

        return new ScenarioSet(definition, encoder.ModelId, dimension, centroids);
    }

    /// <summary>
    /// Scenario weights of a query: softmax(cos(query, centroidₛ) / <see cref="Temperature"/>). The weights are
    /// non-negative and sum to 1; a zero query vector gives uniform weights.
    /// </summary>
    /// <param name="queryEmbedding">Embedding of the query from the set's encoder.</param>
    public float[] Assign(ReadOnlySpan<float> queryEmbedding)
    {
        EmbeddingMath.RequireDimension(queryEmbedding, Dimension, nameof(queryEmbedding));
        var logits = new double[Count];
        var max = double.NegativeInfinity;
        for (var s = 0; s < Count; s++)
        {
            logits[s] = EmbeddingMath.Cosine(queryEmbedding, _centroids.AsSpan(s * Dimension, Dimension)) / Temperature;
            max = Math.Max(max, logits[s]);
        }

        // Softmax in double with the max subtracted, so the result is exact to float precision and never overflows.
        var sum = 0.0;
        for (var s = 0; s < Count; s++)
        {
            logits[s] = Math.Exp(logits[s] - max);
            sum += logits[s];
        }

        var weights = new float[Count];
        for (var s = 0; s < Count; s++)
        {
            weights[s] = (float)(logits[s] / sum);
        }

        return weights;
    }

    /// <summary>The centroid of scenario <paramref name="index"/> (unit length).</summary>
    public ReadOnlySpan<float> GetCentroid(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _centroids.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>Index of the largest weight; ties go to the lowest index, so the result is deterministic.</summary>
    /// <param name="weights">Weights as returned by <see cref="Assign"/>.</param>
    public int DominantIndex(ReadOnlySpan<float> weights)
    {
        if (weights.Length != Count)
        {
            throw new ArgumentException($"Expected {Count} weights, got {weights.Length}.", nameof(weights));
        }

        // TensorPrimitives.IndexOfMax returns the first maximum, which is the documented tie rule.
        return TensorPrimitives.IndexOfMax(weights);
    }

    /// <summary>The scenario with the largest weight (ties: lowest index).</summary>
    /// <param name="weights">Weights as returned by <see cref="Assign"/>.</param>
    public Scenario Dominant(ReadOnlySpan<float> weights) => _scenarios[DominantIndex(weights)];
}

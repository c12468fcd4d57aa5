using System.Collections.Frozen;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using PGenRM.Core.Encoding;

namespace PGenRM.Core.Criteria;

/// <summary>
/// A criteria bank bound to one sentence encoder: each criterion's unit direction in embedding space, the
/// calibration statistics that standardise its score, and a low-rank residual basis of the embedding space
/// (the part of the content model that the named criteria do not describe). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A criterion's score for (query, response) is computed in three steps:
/// (1) projection p = ⟨direction, response embedding⟩, where direction = normalize(mean(positive anchors) −
/// mean(negative anchors)); (2) where the criterion has a <see cref="TextStatisticKind"/>, its value s;
/// (3) b = (1 − w)·z(p) + w·z(s) with w a fixed per-kind weight and z(·) standardised by the calibration
/// corpus, and finally the score z(b), again standardised on the corpus. On the calibration corpus every
/// criterion therefore has mean 0 and (population) standard deviation 1, so user weights are comparable.
/// </remarks>
public sealed class CriteriaBank
{
    /// <summary>The 1–10 criterion scale value of a standardised score of 0 (a typical response).</summary>
    public const double ScaleCentre = 5.5;

    /// <summary>Scale points per standard deviation: ±3 SD spans the full 1–10 range.</summary>
    public const double ScaleSlope = 1.5;

    private const double MinimumSpread = 1e-9;

    private readonly Criterion[] _criteria;
    private readonly TextStatisticKind[] _kinds;
    private readonly double[] _blendWeights;
    private readonly float[] _directions;
    private readonly Standardisation[] _projection;
    private readonly Standardisation[] _statistic;
    private readonly Standardisation[] _blend;
    private readonly float[] _residualBasis;
    private readonly float[] _residualMean;
    private readonly FrozenDictionary<string, int> _indexById;
    private readonly bool _needsQueryCosine;

    private CriteriaBank(CriteriaBankDefinition definition, string encoderModelId, int dimension, float[][] embeddings, int calibrationStart)
    {
        Version = definition.Version;
        EncoderModelId = encoderModelId;
        Dimension = dimension;
        _criteria = [.. definition.Criteria];
        Criteria = Array.AsReadOnly(_criteria);
        _kinds = [.. _criteria.Select(c => c.TextStatistic)];
        _blendWeights = [.. _kinds.Select(TextStatistics.BlendWeight)];
        _needsQueryCosine = _kinds.Contains(TextStatisticKind.QueryRelevance);
        _indexById = _criteria.Select((c, i) => KeyValuePair.Create(c.Id, i)).ToFrozenDictionary(StringComparer.Ordinal);

        _directions = BuildDirections(_criteria, embeddings, dimension);
        (_projection, _statistic, _blend) = Calibrate(definition.Calibration, embeddings, calibrationStart);
        (_residualBasis, _residualMean, ResidualRank) = BuildResidualBasis(embeddings, dimension, definition.ResidualRank);
    }

    /// <summary>The definition's version label (for example <c>criteria-v1</c>), stored in every chain.</summary>
    public string Version { get; }

    /// <summary>The <see cref="ISentenceEncoder.ModelId"/> of the encoder the bank was built with; embeddings passed in must come from it.</summary>
    public string EncoderModelId { get; }

    /// <summary>The criteria, in score order.</summary>
    public IReadOnlyList<Criterion> Criteria { get; }

    /// <summary>Number of criteria (the length of every score vector).</summary>
    public int Count => _criteria.Length;

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>Number of vectors in the residual basis.</summary>
    public int ResidualRank { get; }

    /// <summary>
    /// The residual basis as <c>float[ResidualRank][Dimension]</c>, orthonormal rows: the leading principal
    /// directions (MathNet SVD) of the anchor, calibration-query and calibration-response embeddings after their
    /// mean is removed. Each row's sign is fixed so that its largest-magnitude component is positive, which makes
    /// the basis deterministic. Returns a fresh copy; use <see cref="ProjectResidual"/> on hot paths.
    /// </summary>
    public float[][] ResidualBasis
    {
        get
        {
            var rows = new float[ResidualRank][];
            for (var k = 0; k < ResidualRank; k++)
            {
                rows[k] = _residualBasis.AsSpan(k * Dimension, Dimension).ToArray();
            }

            return rows;
        }
    }

    /// <summary>
    /// Builds a bank: embeds every anchor and calibration text in one batch, derives the directions,
    /// the calibration statistics and the residual basis.
    /// </summary>
    /// <param name="encoder">The sentence encoder whose embeddings will later be scored.</param>
    /// <param name="definition">The bank definition; <see cref="CriteriaBankDefinition.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the encoding.</param>
    /// <exception cref="ArgumentException">The definition is invalid.</exception>
    /// <exception cref="InvalidOperationException">The encoder returned malformed vectors, a criterion's anchors do not
    /// separate, a criterion does not vary on the calibration corpus, or the residual rank is too large.</exception>
    public static async Task<CriteriaBank> CreateAsync(
        ISentenceEncoder encoder, CriteriaBankDefinition? definition = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        definition ??= CriteriaBankDefinition.Default;
        definition.Validate();
        var dimension = encoder.Dimension;
        if (dimension <= 0)
        {
            throw new ArgumentException($"Encoder '{encoder.ModelId}' reports dimension {dimension}.", nameof(encoder));
        }

        var texts = new List<string>();
        foreach (var criterion in definition.Criteria)
        {
            texts.AddRange(criterion.PositiveAnchors);
            texts.AddRange(criterion.NegativeAnchors);
        }

        var calibrationStart = texts.Count;
        foreach (var sample in definition.Calibration)
        {
            texts.Add(sample.Query);
            texts.Add(sample.Response);
        }

        var embeddings = await encoder.EncodeBatchAsync(texts, cancellationToken).ConfigureAwait(false);
        if (embeddings is null || embeddings.Length != texts.Count)
        {
            throw new InvalidOperationException(
                $"Encoder '{encoder.ModelId}' returned {embeddings?.Length ?? 0} embeddings for {texts.Count} texts.");
        }

        foreach (var e in embeddings)
        {
            if (e is null || e.Length != dimension)
            {
                throw new InvalidOperationException(
                    $"Encoder '{encoder.ModelId}' returned an embedding of length {e?.Length ?? 0}; expected {dimension}.");
            }
        }

        return new CriteriaBank(definition, encoder.ModelId, dimension, embeddings, calibrationStart);
    }

    /// <summary>
    /// Maps a standardised score to the paper's 1–10 criterion scale: 5.5 + 1.5·z, clamped to [1, 10] and
    /// rounded to one decimal. A typical response (z = 0) gets 5.5 and ±3 SD reach the ends, so clamping is rare;
    /// one decimal keeps the printed weighted-sum calculation exact while keeping more resolution than integers.
    /// </summary>
    /// <param name="z">A standardised criterion score.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="z"/> is NaN.</exception>
    public static double ToCriterionScale(double z)
    {
        if (double.IsNaN(z))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "A standardised score cannot be NaN.");
        }

        return Math.Round(Math.Clamp(ScaleCentre + (ScaleSlope * z), 1.0, 10.0), 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>Index of the criterion with <paramref name="criterionId"/>, or −1.</summary>
    public int IndexOf(string criterionId)
    {
        ArgumentNullException.ThrowIfNull(criterionId);
        return _indexById.TryGetValue(criterionId, out var index) ? index : -1;
    }

    /// <summary>The unit direction of criterion <paramref name="index"/> in embedding space.</summary>
    public ReadOnlySpan<float> GetDirection(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _directions.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>Standardised scores (z) of a response for every criterion, in <see cref="Criteria"/> order.</summary>
    /// <param name="queryEmbedding">Embedding of the query (used by relevance).</param>
    /// <param name="responseEmbedding">Embedding of the response.</param>
    /// <param name="responseText">The response text, for the text statistics.</param>
    public float[] Score(ReadOnlySpan<float> queryEmbedding, ReadOnlySpan<float> responseEmbedding, string responseText)
    {
        var scores = new float[Count];
        Score(queryEmbedding, responseEmbedding, responseText, scores);
        return scores;
    }

    /// <summary>Writes the standardised scores of a response into <paramref name="destination"/> (length <see cref="Count"/>).</summary>
    /// <param name="queryEmbedding">Embedding of the query (used by relevance).</param>
    /// <param name="responseEmbedding">Embedding of the response.</param>
    /// <param name="responseText">The response text, for the text statistics.</param>
    /// <param name="destination">Receives one standardised score per criterion.</param>
    public void Score(ReadOnlySpan<float> queryEmbedding, ReadOnlySpan<float> responseEmbedding, string responseText, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(responseText);
        EmbeddingMath.RequireDimension(queryEmbedding, Dimension, nameof(queryEmbedding));
        EmbeddingMath.RequireDimension(responseEmbedding, Dimension, nameof(responseEmbedding));
        if (destination.Length != Count)
        {
            throw new ArgumentException($"Destination must have length {Count}, was {destination.Length}.", nameof(destination));
        }

        var features = TextFeatures.Extract(responseText);
        var cosine = _needsQueryCosine ? EmbeddingMath.Cosine(queryEmbedding, responseEmbedding) : 0.0;
        for (var c = 0; c < _criteria.Length; c++)
        {
            var projection = TensorPrimitives.Dot(GetDirection(c), responseEmbedding);
            var statistic = TextStatistics.Value(_kinds[c], features, cosine);
            destination[c] = (float)_blend[c].Z(Blend(c, projection, statistic));
        }
    }

    /// <summary>
    /// Coordinates of an embedding in the residual basis: B·(e − μ), where μ is the mean of the embeddings the
    /// basis was fitted on (so a typical text lands near the origin).
    /// </summary>
    /// <param name="embedding">An embedding from the bank's encoder.</param>
    /// <param name="destination">Receives <see cref="ResidualRank"/> coordinates.</param>
    public void ProjectResidual(ReadOnlySpan<float> embedding, Span<float> destination)
    {
        EmbeddingMath.RequireDimension(embedding, Dimension, nameof(embedding));
        if (destination.Length != ResidualRank)
        {
            throw new ArgumentException($"Destination must have length {ResidualRank}, was {destination.Length}.", nameof(destination));
        }

        Span<float> centred = Dimension <= 1024 ? stackalloc float[Dimension] : new float[Dimension];
        TensorPrimitives.Subtract(embedding, _residualMean, centred);
        for (var k = 0; k < ResidualRank; k++)
        {
            destination[k] = TensorPrimitives.Dot(_residualBasis.AsSpan(k * Dimension, Dimension), centred);
        }
    }

    private double Blend(int c, double projection, double statistic)
    {
        var w = _blendWeights[c];
        var zp = _projection[c].Z(projection);
        return w == 0.0 ? zp : ((1.0 - w) * zp) + (w * _statistic[c].Z(statistic));
    }

    private static float[] BuildDirections(Criterion[] criteria, float[][] embeddings, int dimension)
    {
        var directions = new float[criteria.Length * dimension];
        var offset = 0;
        for (var c = 0; c < criteria.Length; c++)
        {
            var positives = embeddings.AsSpan(offset, criteria[c].PositiveAnchors.Count).ToArray();
            offset += positives.Length;
            var negatives = embeddings.AsSpan(offset, criteria[c].NegativeAnchors.Count).ToArray();
            offset += negatives.Length;

            var direction = directions.AsSpan(c * dimension, dimension);
            TensorPrimitives.Subtract(EmbeddingMath.Mean(positives, dimension), EmbeddingMath.Mean(negatives, dimension), direction);
            if (EmbeddingMath.NormalizeInPlace(direction) < 1e-6f)
            {
                throw new InvalidOperationException(
                    $"The anchors of criterion '{criteria[c].Id}' have the same mean embedding, so the criterion has no direction.");
            }
        }

        return directions;
    }

    private (Standardisation[] Projection, Standardisation[] Statistic, Standardisation[] Blend) Calibrate(
        IReadOnlyList<CalibrationSample> samples, float[][] embeddings, int calibrationStart)
    {
        var n = samples.Count;
        var projections = new double[_criteria.Length][];
        var statistics = new double[_criteria.Length][];
        for (var c = 0; c < _criteria.Length; c++)
        {
            projections[c] = new double[n];
            statistics[c] = new double[n];
        }

        for (var i = 0; i < n; i++)
        {
            var query = embeddings[calibrationStart + (2 * i)];
            var response = embeddings[calibrationStart + (2 * i) + 1];
            var features = TextFeatures.Extract(samples[i].Response);
            var cosine = EmbeddingMath.Cosine(query, response);
            for (var c = 0; c < _criteria.Length; c++)
            {
                projections[c][i] = TensorPrimitives.Dot(_directions.AsSpan(c * Dimension, Dimension), response);
                statistics[c][i] = TextStatistics.Value(_kinds[c], features, cosine);
            }
        }

        var projection = new Standardisation[_criteria.Length];
        var statistic = new Standardisation[_criteria.Length];
        var blend = new Standardisation[_criteria.Length];
        var blended = new double[n];
        for (var c = 0; c < _criteria.Length; c++)
        {
            // Blend needs this criterion's component standardisations before the blend itself is fitted.
            projection[c] = Standardisation.Fit(projections[c]);
            statistic[c] = _kinds[c] == TextStatisticKind.None ? Standardisation.Identity : Standardisation.Fit(statistics[c]);
            for (var i = 0; i < n; i++)
            {
                var w = _blendWeights[c];
                var zp = projection[c].Z(projections[c][i]);
                blended[i] = w == 0.0 ? zp : ((1.0 - w) * zp) + (w * statistic[c].Z(statistics[c][i]));
            }

            blend[c] = Standardisation.Fit(blended);
            if (blend[c].IsDegenerate)
            {
                throw new InvalidOperationException(
                    $"Criterion '{_criteria[c].Id}' has the same score for every calibration sample; it cannot be standardised.");
            }
        }

        return (projection, statistic, blend);
    }

    private static (float[] Basis, float[] Mean, int Rank) BuildResidualBasis(float[][] embeddings, int dimension, int requestedRank)
    {
        var mean = EmbeddingMath.Mean(embeddings, dimension);
        if (requestedRank == 0)
        {
            return ([], mean, 0);
        }

        var maxRank = Math.Min(embeddings.Length - 1, dimension);
        if (requestedRank > maxRank)
        {
            throw new InvalidOperationException(
                $"ResidualRank {requestedRank} exceeds the {maxRank} directions that {embeddings.Length} embeddings of dimension {dimension} can span.");
        }

        // Columns are the centred embeddings, so the left singular vectors are the principal directions. MathNet's
        // managed SVD always computes full factors; this orientation is about a third faster than rows-as-samples.
        var centred = Matrix<double>.Build.Dense(dimension, embeddings.Length, (j, i) => embeddings[i][j] - (double)mean[j]);
        var u = centred.Svd(computeVectors: true).U;
        var basis = new float[requestedRank * dimension];
        for (var k = 0; k < requestedRank; k++)
        {
            // Singular vectors are defined up to sign; pin it so two builds (or two providers) agree.
            var pivot = 0;
            for (var j = 1; j < dimension; j++)
            {
                if (Math.Abs(u[j, k]) > Math.Abs(u[pivot, k]))
                {
                    pivot = j;
                }
            }

            var sign = u[pivot, k] < 0 ? -1.0 : 1.0;
            for (var j = 0; j < dimension; j++)
            {
                basis[(k * dimension) + j] = (float)(sign * u[j, k]);
            }
        }

        return (basis, mean, requestedRank);
    }

    /// <summary>Mean and population standard deviation of one score component on the calibration corpus.</summary>
    private readonly record struct Standardisation(double Mean, double Sd, bool IsDegenerate)
    {
        public static Standardisation Identity { get; } = new(0.0, 1.0, false);

        public static Standardisation Fit(ReadOnlySpan<double> values)
        {
            var mean = 0.0;
            foreach (var v in values)
            {
                mean += v;
            }

            mean /= values.Length;
            var variance = 0.0;
            foreach (var v in values)
            {
                variance += (v - mean) * (v - mean);
            }

            var sd = Math.Sqrt(variance / values.Length);

            // A component that is constant on the corpus only shifts scores; keep it centred rather than divide by ~0.
            return sd < MinimumSpread ? new(mean, 1.0, true) : new(mean, sd, false);
        }

        public double Z(double value) => (value - Mean) / Sd;
    }
}

using System.Globalization;
using PGenRM.Core.Criteria;
using PGenRM.Core.Scenarios;

namespace PGenRM.Core.Features;

/// <summary>
/// The content feature vector x(q, r) = [criteria (C); scenario offsets (S × sensitive criteria); low-rank
/// residual of the response embedding (R); embedding block (E)] and the item factor prior u(r). Criteria make the chain
/// readable, scenario offsets let a user's weights differ by context, the residual and the embedding block carry what the
/// named criteria miss (the chain shows the criteria; the other blocks only move the score).
/// </summary>
public sealed class FeatureSpace
{
    private readonly CriteriaBank _bank;
    private readonly ScenarioSet _scenarios;
    private readonly int[] _sensitive;
    private readonly int _residual;
    private readonly float[][] _projection;
    private readonly float[][] _embeddingBlock;
    private readonly FeatureSpaceOptions _options;

    private FeatureSpace(CriteriaBank bank, ScenarioSet scenarios, FeatureSpaceOptions options)
    {
        _bank = bank;
        _scenarios = scenarios;
        _options = options;
        _sensitive = options.ScenarioSensitiveCriteria.Select(bank.IndexOf).Where(i => i >= 0).Distinct().ToArray();
        _residual = Math.Min(options.ResidualComponents, options.ResidualBasis?.Count ?? bank.ResidualRank);
        _embeddingBlock = OrthonormalProjection(Math.Clamp(options.EmbeddingComponents, 0, bank.Dimension), bank.Dimension, options.EmbeddingProjectionSeed);
        Dimension = bank.Count + (scenarios.Count * _sensitive.Length) + _residual + _embeddingBlock.Length;
        BasePrecision = new double[Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            BasePrecision[i] = i < bank.Count ? options.CriterionPrecision
                : i < bank.Count + (scenarios.Count * _sensitive.Length) ? options.OffsetPrecision
                : i < Dimension - _embeddingBlock.Length ? options.ResidualPrecision
                : options.EmbeddingPrecision;
        }

        // A fixed Gaussian projection: similar texts get similar factor priors, so collaborative statistics
        // learned on one item inform its near-duplicates before they are judged.
        var random = new Random(options.FactorProjectionSeed);
        _projection = new float[options.FactorDimension][];
        for (int k = 0; k < options.FactorDimension; k++)
        {
            _projection[k] = new float[bank.Dimension];
            for (int j = 0; j < bank.Dimension; j++)
            {
                _projection[k][j] = (float)Model.StandardNormal.Next(random);
            }
        }

        Version = string.Create(CultureInfo.InvariantCulture,
            $"{bank.Version}+{scenarios.Version}+x{Dimension}s{_sensitive.Length}r{_residual}f{options.FactorDimension}p{options.FactorProjectionSeed}")
            + (options.ResidualBasis is null ? "" : "t" + TenantProjection.Id(options.ResidualBasis))
            + (_embeddingBlock.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"e{_embeddingBlock.Length}q{options.EmbeddingProjectionSeed}s{options.EmbeddingScale:R}"));
    }

    /// <summary>D, the length of x.</summary>
    public int Dimension { get; }

    /// <summary>F, the length of the item factor prior u.</summary>
    public int FactorDimension => _options.FactorDimension;

    /// <summary>Base prior precision of each dimension of x (criteria, offsets, residual).</summary>
    public double[] BasePrecision { get; }

    /// <summary>Identifies the layout; schemes are only comparable within one version.</summary>
    public string Version { get; }

    /// <summary>The options the space was built with.</summary>
    public FeatureSpaceOptions Options => _options;

    /// <summary>The criteria bank.</summary>
    public CriteriaBank Bank => _bank;

    /// <summary>The scenario set.</summary>
    public ScenarioSet Scenarios => _scenarios;

    /// <summary>Builds the feature space over a bank and a scenario set created with the same encoder.</summary>
    public static FeatureSpace Create(CriteriaBank bank, ScenarioSet scenarios, FeatureSpaceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(scenarios);
        if (!string.Equals(bank.EncoderModelId, scenarios.EncoderModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The criteria bank was built with encoder '{bank.EncoderModelId}' and the scenarios with '{scenarios.EncoderModelId}'; use one encoder.");
        }

        return new FeatureSpace(bank, scenarios, options ?? new FeatureSpaceOptions());
    }

    /// <summary>x(q, r) for one response.</summary>
    public double[] Content(ReadOnlySpan<float> queryEmbedding, ReadOnlySpan<float> responseEmbedding, string responseText)
    {
        var criteria = _bank.Score(queryEmbedding, responseEmbedding, responseText);
        var scenario = _scenarios.Assign(queryEmbedding);
        var x = new double[Dimension];
        for (int c = 0; c < criteria.Length; c++)
        {
            x[c] = criteria[c];
        }

        int at = criteria.Length;
        for (int s = 0; s < scenario.Length; s++)
        {
            foreach (int c in _sensitive)
            {
                x[at++] = scenario[s] * criteria[c];
            }
        }

        if (_options.ResidualBasis is { } basis)
        {
            for (int k = 0; k < _residual; k++)
            {
                x[at++] = System.Numerics.Tensors.TensorPrimitives.Dot(basis[k].AsSpan(), responseEmbedding);
            }
        }
        else
        {
            Span<float> residual = stackalloc float[_bank.ResidualRank];
            _bank.ProjectResidual(responseEmbedding, residual);
            for (int k = 0; k < _residual; k++)
            {
                x[at++] = _options.ResidualScale * residual[k];
            }
        }

        foreach (var row in _embeddingBlock)
        {
            x[at++] = _options.EmbeddingScale * System.Numerics.Tensors.TensorPrimitives.Dot(row.AsSpan(), responseEmbedding);
        }

        return x;
    }

    /// <summary>Rows of a seeded Gaussian matrix made orthonormal by Gram–Schmidt.</summary>
    private static float[][] OrthonormalProjection(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var basis = new double[rows][];
        for (int k = 0; k < rows; k++)
        {
            var v = new double[dimension];
            for (int j = 0; j < dimension; j++)
            {
                v[j] = Model.StandardNormal.Next(random);
            }

            for (int i = 0; i < k; i++)
            {
                double dot = System.Numerics.Tensors.TensorPrimitives.Dot(v.AsSpan(), basis[i]);
                for (int j = 0; j < dimension; j++)
                {
                    v[j] -= dot * basis[i][j];
                }
            }

            double norm = System.Numerics.Tensors.TensorPrimitives.Norm(v.AsSpan());
            for (int j = 0; j < dimension; j++)
            {
                v[j] /= norm;
            }

            basis[k] = v;
        }

        return basis.Select(v => v.Select(x => (float)x).ToArray()).ToArray();
    }

    /// <summary>
    /// The features a stated preference is compared on: x with the criteria and scenario-offset blocks zeroed, so only
    /// the residual and embedding blocks (what the text says) remain. The criteria of a stated text describe how the user
    /// writes (a long essay asking for short answers), not what the user wants, so they are left out.
    /// </summary>
    public double[] StatedPreferenceFeatures(double[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var x = new double[content.Length];
        int residualStart = Dimension - _residual - _embeddingBlock.Length;
        Array.Copy(content, residualStart, x, residualStart, _residual + _embeddingBlock.Length);
        return x;
    }

    /// <summary>The content-derived item factor prior u(r).</summary>
    public double[] FactorPrior(ReadOnlySpan<float> responseEmbedding)
    {
        var u = new double[_options.FactorDimension];
        for (int k = 0; k < u.Length; k++)
        {
            u[k] = _options.FactorPriorScale * System.Numerics.Tensors.TensorPrimitives.Dot(_projection[k].AsSpan(), responseEmbedding);
        }

        return u;
    }

    /// <summary>Scenario weights of a query (softmax over the scenario set).</summary>
    public float[] ScenarioWeights(ReadOnlySpan<float> queryEmbedding) => _scenarios.Assign(queryEmbedding);

    /// <summary>
    /// The criterion weights a scheme applies in a scenario mix: w_c + Σ_s weight_s · offset_{s,c}. These are the
    /// weights the chain's rubric shows.
    /// </summary>
    public double[] EffectiveCriterionWeights(ReadOnlySpan<double> scheme, ReadOnlySpan<float> scenarioWeights)
    {
        var weights = new double[_bank.Count];
        for (int c = 0; c < weights.Length; c++)
        {
            weights[c] = scheme[c];
        }

        int at = _bank.Count;
        for (int s = 0; s < scenarioWeights.Length; s++)
        {
            foreach (int c in _sensitive)
            {
                weights[c] += scenarioWeights[s] * scheme[at++];
            }
        }

        return weights;
    }
}

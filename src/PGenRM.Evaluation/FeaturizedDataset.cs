using PGenRM.Core.Features;
using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation;

/// <summary>A dataset with every item's content features and factor prior computed once (the encoder is the slow part).</summary>
public sealed class FeaturizedDataset
{
    /// <summary>Wraps precomputed features.</summary>
    public FeaturizedDataset(
        PreferenceDataset dataset,
        IReadOnlyDictionary<string, double[]> content,
        IReadOnlyDictionary<string, double[]> factorPrior,
        IReadOnlyDictionary<string, float[]> promptEmbedding,
        IReadOnlyDictionary<string, double[]> statedPreference,
        double[] contentPrecision,
        int factorDimension)
    {
        Dataset = dataset;
        Content = content;
        FactorPrior = factorPrior;
        PromptEmbedding = promptEmbedding;
        StatedPreference = statedPreference;
        ContentPrecision = contentPrecision;
        FactorDimension = factorDimension;
    }

    /// <summary>The raw dataset.</summary>
    public PreferenceDataset Dataset { get; }

    /// <summary>Content features x(q, r) per item id (each item belongs to one prompt).</summary>
    public IReadOnlyDictionary<string, double[]> Content { get; }

    /// <summary>Content-derived item factor prior u per item id.</summary>
    public IReadOnlyDictionary<string, double[]> FactorPrior { get; }

    /// <summary>Prompt embeddings (for query relevance of history pairs).</summary>
    public IReadOnlyDictionary<string, float[]> PromptEmbedding { get; }

    /// <summary>Stated-preference pseudo-pair per user: x(q, stated text) − mean item features (content space).</summary>
    public IReadOnlyDictionary<string, double[]> StatedPreference { get; }

    /// <summary>Base prior precision per content dimension.</summary>
    public double[] ContentPrecision { get; }

    /// <summary>F.</summary>
    public int FactorDimension { get; }

    /// <summary>The feature space the features were computed in (null when built from raw features).</summary>
    public FeatureSpace? Space { get; init; }

    /// <summary>The embeddings behind the features (null when built from raw features).</summary>
    public EmbeddedTexts? Embedded { get; init; }

    /// <summary>
    /// The features with a residual basis learned from <paramref name="trainItemIds"/> (<see cref="TenantProjection"/>:
    /// their embeddings centred within their prompt), as a tenant would learn it from the responses it has seen judged.
    /// </summary>
    public FeaturizedDataset WithTenantProjection(IEnumerable<string> trainItemIds)
    {
        ArgumentNullException.ThrowIfNull(trainItemIds);
        if (Space is null || Embedded is null)
        {
            throw new InvalidOperationException("A tenant projection needs the embeddings; build the dataset with Featurizer.BuildAsync.");
        }

        var groups = trainItemIds.Distinct(StringComparer.Ordinal)
            .Select(id => Dataset.Items[id])
            .GroupBy(i => i.PromptId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<float[]>)g.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => Embedded.Items[i.Id]).ToList());
        var options = Space.Options with { ResidualBasis = TenantProjection.Learn(groups, Space.Options.ResidualComponents) };
        return Featurizer.Featurize(Dataset, FeatureSpace.Create(Space.Bank, Space.Scenarios, options), Embedded);
    }
}

using PGenRM.Core.Features;
using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation;

/// <summary>Computes every item's content features and factor prior, and users' stated-preference pseudo-pairs.</summary>
public static class Featurizer
{
    /// <summary>Embeds prompts, items and stated preferences and builds their features.</summary>
    public static async Task<FeaturizedDataset> BuildAsync(
        PreferenceDataset dataset,
        FeatureSpace space,
        EmbeddingStore store,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(space);
        var prompts = dataset.Prompts.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var items = dataset.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var stated = dataset.StatedPreferences.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var texts = prompts.Select(p => p.Text).Concat(items.Select(i => i.Text)).Concat(stated.Select(s => s.Value)).ToList();
        var vectors = await store.EmbedAsync(texts, progress, cancellationToken).ConfigureAwait(false);

        var promptEmbedding = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int p = 0; p < prompts.Count; p++)
        {
            promptEmbedding[prompts[p].Id] = vectors[p];
        }

        var itemEmbedding = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            itemEmbedding[items[i].Id] = vectors[prompts.Count + i];
        }

        var statedEmbedding = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int s = 0; s < stated.Count; s++)
        {
            statedEmbedding[stated[s].Key] = vectors[prompts.Count + items.Count + s];
        }

        return Featurize(dataset, space, new EmbeddedTexts(promptEmbedding, itemEmbedding, statedEmbedding));
    }

    /// <summary>
    /// The same dataset's features in another feature space (a tenant-learned residual basis) from the stored embeddings.
    /// </summary>
    public static FeaturizedDataset Featurize(PreferenceDataset dataset, FeatureSpace space, EmbeddedTexts embedded)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(embedded);
        var items = dataset.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var stated = dataset.StatedPreferences.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var promptEmbedding = embedded.Prompts;
        var content = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var factor = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var embedding = embedded.Items[item.Id];
            content[item.Id] = space.Content(promptEmbedding[item.PromptId], embedding, item.Text);
            factor[item.Id] = space.FactorPrior(embedding);
        }

        // A stated preference is a pseudo-pair "a response saying what my statement says ≻ the average response",
        // on the residual (meaning) block only.
        var statedDiff = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var promptOfUser = dataset.Ratings.Select(r => (r.UserId, r.PromptId)).Concat(dataset.Pairs.Select(p => (p.UserId, p.PromptId)))
            .GroupBy(x => x.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().PromptId, StringComparer.Ordinal);
        foreach (var (user, text) in stated)
        {
            if (!promptOfUser.TryGetValue(user, out var promptId))
            {
                continue;
            }

            var x = space.Content(promptEmbedding[promptId], embedded.Stated[user], text);
            var promptItems = items.Where(i => i.PromptId == promptId).Select(i => content[i.Id]).ToList();
            for (int d = 0; d < x.Length; d++)
            {
                x[d] -= promptItems.Average(v => v[d]);
            }

            statedDiff[user] = space.StatedPreferenceFeatures(x);
        }

        return new FeaturizedDataset(dataset, content, factor, promptEmbedding, statedDiff, space.BasePrecision, space.FactorDimension)
        {
            Space = space,
            Embedded = embedded,
        };
    }
}

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

        var content = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var factor = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var embedding = vectors[prompts.Count + i];
            content[items[i].Id] = space.Content(promptEmbedding[items[i].PromptId], embedding, items[i].Text);
            factor[items[i].Id] = space.FactorPrior(embedding);
        }

        // A stated preference is a pseudo-pair "a response saying what my statement says ≻ the average response",
        // on the residual (meaning) block only.
        var statedDiff = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var promptOfUser = dataset.Ratings.Select(r => (r.UserId, r.PromptId)).Concat(dataset.Pairs.Select(p => (p.UserId, p.PromptId)))
            .GroupBy(x => x.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().PromptId, StringComparer.Ordinal);
        for (int s = 0; s < stated.Count; s++)
        {
            if (!promptOfUser.TryGetValue(stated[s].Key, out var promptId))
            {
                continue;
            }

            var x = space.Content(promptEmbedding[promptId], vectors[prompts.Count + items.Count + s], stated[s].Value);
            var promptItems = items.Where(i => i.PromptId == promptId).Select(i => content[i.Id]).ToList();
            for (int d = 0; d < x.Length; d++)
            {
                x[d] -= promptItems.Average(v => v[d]);
            }

            statedDiff[stated[s].Key] = space.StatedPreferenceFeatures(x);
        }

        return new FeaturizedDataset(dataset, content, factor, promptEmbedding, statedDiff, space.BasePrecision, space.FactorDimension);
    }
}

using Microsoft.Extensions.DependencyInjection;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Derived;
using PGenRM.Grains.Log;

namespace PGenRM.Grains;

/// <summary>
/// The user grain's part in the derived statistics: the item judgments of each operation, posted to the silo's
/// <see cref="DerivedStatsPipeline"/> after the log row is durable, and re-posted from the log by the rebuild.
/// </summary>
public sealed partial class UserGrain
{
    private DerivedStatsPipeline? _pipeline;
    private ItemStatsCache? _itemCache;

    private DerivedStatsPipeline Pipeline => _pipeline ??= ServiceProvider.GetRequiredService<DerivedStatsPipeline>();

    private ItemStatsCache ItemCache => _itemCache ??= ServiceProvider.GetRequiredService<ItemStatsCache>();

    /// <summary>
    /// The item half of <see cref="ReplayDerivedAsync"/>: the judgments of every log entry in sequence order, made exactly
    /// as live from what the entry holds (the judge's scheme and prototype, the pairs; the judge sketch is
    /// the judgment sketch summed up to that entry), posted to this silo's pipeline and flushed before returning, so the
    /// items hold them when the call completes. Entries written before the log kept the scheme are judged with the
    /// current scheme.
    /// </summary>
    private async Task ReplayJudgmentsAsync(CancellationToken cancellationToken)
    {
        var entries = await log.ReadAllAsync(_key, cancellationToken);
        var sketch = Array.Empty<double>();
        foreach (var entry in entries)
        {
            var pairs = entry.Pairs();
            if (sketch.Length == 0 && pairs.Count > 0)
            {
                sketch = new double[JudgmentSketch.DefaultLength];
            }

            foreach (var pair in pairs)
            {
                JudgmentSketch.Add(sketch, pair.ChosenItemId, 1);
                JudgmentSketch.Add(sketch, pair.RejectedItemId, -1);
            }

            var pending = pairs.ConvertAll(p => new PendingPair(p, FactorPrior(entry, p.ChosenItemId), FactorPrior(entry, p.RejectedItemId)));
            await PostAsync(Judgments(entry, pending, ToFloats(sketch)), cancellationToken);
        }

        await Pipeline.FlushAsync(cancellationToken);
    }

    /// <summary>Posts the judgments of an operation just made durable (with the sketch after it).</summary>
    private Task PostJudgmentsAsync(LogEntry entry, IReadOnlyList<PendingPair> pairs, CancellationToken cancellationToken) =>
        PostAsync(Judgments(entry, pairs, SketchFloats()), cancellationToken);

    private async Task PostAsync(List<(string Item, ItemJudgment Judgment)> judgments, CancellationToken cancellationToken)
    {
        foreach (var (item, judgment) in judgments)
        {
            await Pipeline.PostAsync(GrainKeys.Item(_tenant, item), judgment, cancellationToken);
        }
    }

    /// <summary>
    /// The two judgments of each pair of <paramref name="entry"/>, made with the scheme the entry holds (rounded to
    /// float32 as the judgment carries it, so live and replay compute the same rests).
    /// </summary>
    private List<(string Item, ItemJudgment Judgment)> Judgments(LogEntry entry, IReadOnlyList<PendingPair> pairs, float[] judgeSketch)
    {
        var scheme = entry.JudgeScheme.Length > 0 ? FloatBytes.Unpack(entry.JudgeScheme) : ToFloats(_model.Scheme);
        var theta = Array.ConvertAll(scheme, x => (double)x);
        var result = new List<(string, ItemJudgment)>(2 * pairs.Count);
        foreach (var pair in pairs)
        {
            var stored = pair.Stored;
            string judgmentId = $"{_key}/{stored.FeedbackId}";
            var (chosenRest, rejectedRest) = UnownedMargins(stored.ToEvidence(), theta);
            result.Add((stored.ChosenItemId, new ItemJudgment(
                judgmentId, _key, 1, scheme, ScaledPrior(pair.ChosenFactorPrior), chosenRest, stored.Weight, stored.At, judgeSketch, entry.JudgePrototype)));
            result.Add((stored.RejectedItemId, new ItemJudgment(
                judgmentId, _key, -1, scheme, ScaledPrior(pair.RejectedFactorPrior), rejectedRest, stored.Weight, stored.At, judgeSketch, entry.JudgePrototype)));
        }

        return result;
    }

    /// <summary>An item's content factor prior u as the entry stored it (empty when it did not).</summary>
    private static double[] FactorPrior(LogEntry entry, string itemId)
    {
        int i = entry.ItemIds.IndexOf(itemId);
        return i >= 0 && i < entry.FactorPriors.Count ? Array.ConvertAll(entry.FactorPriors[i], x => (double)x) : [];
    }

    /// <summary>
    /// The margin parts each item does not own, at the updated scheme θ = [w; p; δ] (as HybridTrainer.FitItems, the
    /// crowd's strength counted once: <see cref="SchemeLearner.ItemObservation"/>): for the chosen item
    /// w·Δx − (b_r + p·v_r), for the rejected one w·Δx + (b_c + p·v_c).
    /// </summary>
    private static (double Chosen, double Rejected) UnownedMargins(PairEvidence evidence, double[] theta)
    {
        int d = evidence.ContentDiff.Length;
        double content = 0;
        for (int i = 0; i < d; i++)
        {
            content += theta[i] * evidence.ContentDiff[i];
        }

        int f = evidence.Chosen.Factor.Length;
        double chosenScore = SchemeLearner.ItemScore(theta, f, evidence.Chosen.Strength, evidence.Chosen.Factor);
        double rejectedScore = SchemeLearner.ItemScore(theta, f, evidence.Rejected.Strength, evidence.Rejected.Factor);
        return (content - rejectedScore, content + chosenScore);
    }
}

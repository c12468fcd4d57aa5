using System.Collections.Concurrent;
using PGenRM.Core.Model;

namespace PGenRM.Evaluation;

/// <summary>
/// Scores test pairs with dual-granularity scaling from a trained model: builds each user's history entries and
/// prototype neighbour pools once, caches the m schemes per (user, query), and calls <see cref="TestTimeScaler"/>.
/// </summary>
internal sealed class ScaledScorer
{
    private readonly HybridTrainer _trainer;
    private readonly TrainingSet _set;
    private readonly FeaturizedDataset _data;
    private readonly NeighbourPool[] _pools;
    private readonly ConcurrentDictionary<string, IReadOnlyList<double[]>> _schemes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<Neighbour>> _neighbours = new(StringComparer.Ordinal);

    public ScaledScorer(HybridTrainer trainer, TrainingSet set, FeaturizedDataset data, EvaluationSettings settings)
    {
        _trainer = trainer;
        _set = set;
        _data = data;
        int prototypes = Math.Max(1, trainer.Centroids.Length);
        _pools = Enumerable.Range(0, prototypes).Select(_ => new NeighbourPool()).ToArray();
        for (int u = 0; u < set.UserIds.Count; u++)
        {
            _pools[trainer.UserPrototype[u]].Upsert(set.UserIds[u], trainer.Deviation(trainer.UserSchemes[u]), trainer.UserSchemes[u], trainer.Judgments(u));
        }
    }

    /// <summary>Fused reward of chosen minus rejected for a seen user.</summary>
    public double Margin(string user, string chosenId, string rejectedId, ScalingOptions scaling)
    {
        int u = _set.UserIndex(user);
        string prompt = _data.Dataset.Items[chosenId].PromptId;
        var schemes = _schemes.GetOrAdd($"{user}|{prompt}|{scaling.M}|{scaling.Seed}", _ => IndividualSchemes(u, prompt, scaling));
        var pool = scaling.N > 0
            ? _neighbours.GetOrAdd(user, _ => _pools[_trainer.UserPrototype[u]].Nearest(user, _trainer.Deviation(_trainer.UserSchemes[u]), int.MaxValue))
            : [];
        var candidates = new[] { _trainer.Candidate(_set.ItemIndex(chosenId)), _trainer.Candidate(_set.ItemIndex(rejectedId)) };
        var fused = TestTimeScaler.Fuse(schemes, candidates, pool, scaling);
        return fused.Rewards[0] - fused.Rewards[1];
    }

    /// <summary>The neighbour pool of a (possibly unseen) user in a prototype; −1 means no prototype (no pool).</summary>
    public IReadOnlyList<Neighbour> PoolFor(string user, double[] scheme, int prototype) =>
        prototype < 0 || prototype >= _pools.Length ? [] : _pools[prototype].Nearest(user, _trainer.Deviation(scheme), int.MaxValue);

    private IReadOnlyList<double[]> IndividualSchemes(int u, string prompt, ScalingOptions scaling)
    {
        var observations = _trainer.Observations(u);
        var pairs = _trainer.PairsOf(u);
        var history = new List<HistoryEntry>(observations.Count);
        for (int k = 0; k < observations.Count; k++)
        {
            // The stated-preference pseudo-pair (last, if any) has no query; it gets relevance 0.
            float[] query = k < pairs.Count
                ? _data.PromptEmbedding.GetValueOrDefault(_data.Dataset.Items[_set.ItemIds[_set.Pairs[pairs[k]].Chosen]].PromptId, [])
                : [];
            history.Add(new HistoryEntry(observations[k], query));
        }

        var queryEmbedding = _data.PromptEmbedding.GetValueOrDefault(prompt, []);
        return TestTimeScaler.IndividualSchemes(
            _trainer.UserSchemes[u], _trainer.UserPriors[u], _trainer.UserScales[u], history, queryEmbedding, scaling, _trainer.Model, $"{_set.UserIds[u]}|{prompt}");
    }
}

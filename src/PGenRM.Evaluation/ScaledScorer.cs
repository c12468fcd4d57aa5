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

    // A user's observations, built once (each build removes the user's pairs from every item it judged; schemes are
    // built per prompt).
    private readonly ConcurrentDictionary<int, List<LogisticObservation>> _observations = new();
    private readonly Dictionary<int, List<(int User, double Judgment)>> _judges = [];
    private readonly double[][] _keys;
    private readonly float[][] _sketches;
    private readonly Dictionary<string, double>[] _judgments;
    private readonly bool _useJudges;
    private readonly bool _sketchKeys;

    public ScaledScorer(HybridTrainer trainer, TrainingSet set, FeaturizedDataset data, EvaluationSettings settings)
    {
        _trainer = trainer;
        _set = set;
        _data = data;
        int prototypes = Math.Max(1, trainer.Centroids.Length);
        _pools = Enumerable.Range(0, prototypes).Select(_ => new NeighbourPool()).ToArray();
        _keys = new double[set.UserIds.Count][];
        _sketches = new float[set.UserIds.Count][];
        _judgments = new Dictionary<string, double>[set.UserIds.Count];
        _useJudges = settings.UseItemJudges;
        _sketchKeys = settings.Trainer.NeighbourKey is NeighbourKeyKind.Sketch or NeighbourKeyKind.PairSketch;
        for (int u = 0; u < set.UserIds.Count; u++)
        {
            _judgments[u] = trainer.Judgments(u);
            _keys[u] = trainer.NeighbourKey(trainer.UserSchemes[u], _judgments[u], trainer.PairItemIds(u));
            _sketches[u] = Array.ConvertAll(_keys[u], x => (float)x);
            _pools[trainer.UserPrototype[u]].Upsert(set.UserIds[u], _keys[u], trainer.UserSchemes[u], _judgments[u]);
            foreach (var (itemId, judgment) in _judgments[u])
            {
                int item = set.ItemIndex(itemId);
                if (!_judges.TryGetValue(item, out var list))
                {
                    _judges[item] = list = [];
                }

                list.Add((u, judgment));
            }
        }
    }

    /// <summary>
    /// The item's judges as the item grain lists them, most similar to <paramref name="key"/> first, without the
    /// scored user; capped at <paramref name="n"/>.
    /// </summary>
    public IReadOnlyList<Neighbour> JudgesOf(int item, string user, double[] key, int n)
    {
        if (!_useJudges || !_judges.TryGetValue(item, out var list))
        {
            return [];
        }

        // Ties by user id (ordinal), as the item grain ranks its judges; the user index was the tie-break before.
        return SimilarityRanking.Rank(
                list.Select(j => j.User).Where(u => !string.Equals(_set.UserIds[u], user, StringComparison.Ordinal)),
                u => _set.UserIds[u],
                u => VectorSimilarity.Cosine(_keys[u], key),
                n)
            .Select(j => new Neighbour(_set.UserIds[j.Item], _trainer.UserSchemes[j.Item], j.Similarity, _judgments[j.Item])
            {
                Evidence = EvidenceOf(j.Item, key),
                Sketch = SketchOf(j.Item),
            })
            .ToList();
    }

    /// <summary>Fused reward of chosen minus rejected for a seen user.</summary>
    public double Margin(string user, string chosenId, string rejectedId, ScalingOptions scaling)
    {
        int u = _set.UserIndex(user);
        string prompt = _data.Dataset.Items[chosenId].PromptId;
        var schemes = _schemes.GetOrAdd($"{user}|{prompt}|{scaling.M}|{scaling.Seed}", _ => IndividualSchemes(u, prompt, scaling));
        var pool = scaling.N > 0
            ? _neighbours.GetOrAdd(user, _ => WithEvidence(_pools[_trainer.UserPrototype[u]].Nearest(user, _keys[u], int.MaxValue), _keys[u]))
            : [];
        int chosen = _set.ItemIndex(chosenId), rejected = _set.ItemIndex(rejectedId);
        var candidates = new[] { _trainer.Candidate(chosen), _trainer.Candidate(rejected) };
        var judges = scaling.N > 0
            ? new[] { JudgesOf(chosen, user, _keys[u], scaling.N), JudgesOf(rejected, user, _keys[u], scaling.N) }
            : null;
        var fused = TestTimeScaler.Fuse(schemes, candidates, pool, scaling, judges);
        return fused.Rewards[0] - fused.Rewards[1];
    }

    /// <summary>Each prototype's members' agreement among themselves (<see cref="PoolAgreement"/>; diagnostics).</summary>
    public IEnumerable<(int Prototype, int Count, PoolAgreement Agreement)> PrototypeAgreements()
    {
        for (int p = 0; p < _pools.Length; p++)
        {
            var members = Enumerable.Range(0, _set.UserIds.Count)
                .Where(u => _trainer.UserPrototype[u] == p)
                .Select(u => new Neighbour(_set.UserIds[u], _trainer.UserSchemes[u], 0, _judgments[u]) { Sketch = SketchOf(u) })
                .ToList();
            yield return (p, members.Count, PoolAgreement.Of(members));
        }
    }

    /// <summary>The neighbour pool of a (possibly unseen) user in a prototype; −1 means no prototype (no pool).</summary>
    public IReadOnlyList<Neighbour> PoolFor(string user, double[] key, int prototype) =>
        prototype < 0 || prototype >= _pools.Length ? [] : WithEvidence(_pools[prototype].Nearest(user, key, int.MaxValue), key);

    /// <summary>
    /// The judging behind a neighbour's similarity, as the scoring worker measures it from the two sketches
    /// (<see cref="JudgmentSketch.Evidence(ReadOnlySpan{double}, ReadOnlySpan{double})"/>); unknown (+∞, no shrinkage)
    /// when neighbours are compared on another key.
    /// </summary>
    private double EvidenceOf(int neighbour, double[] key) =>
        _sketchKeys ? JudgmentSketch.Evidence(_keys[neighbour], key) : double.PositiveInfinity;

    /// <summary>The neighbour's judgment sketch in single precision, as the grains store it and the scoring worker passes
    /// it; null when neighbours are compared on another key.</summary>
    private float[]? SketchOf(int neighbour) => _sketchKeys ? _sketches[neighbour] : null;

    private List<Neighbour> WithEvidence(IReadOnlyList<Neighbour> neighbours, double[] key) =>
        neighbours.Select(n =>
        {
            int u = _set.UserIndex(n.UserId);
            return n with { Evidence = EvidenceOf(u, key), Sketch = SketchOf(u) };
        }).ToList();

    private IReadOnlyList<double[]> IndividualSchemes(int u, string prompt, ScalingOptions scaling)
    {
        var observations = _observations.GetOrAdd(u, _trainer.Observations);
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
            _trainer.UserSchemes[u], _trainer.UserPriors[u], _trainer.UserScales[u], history, queryEmbedding, scaling, _trainer.Model, $"{_set.UserIds[u]}|{prompt}",
            _trainer.TenantCollaborativeScale);
    }
}

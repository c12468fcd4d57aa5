using System.Diagnostics;
using PGenRM.Core.Model;
using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Metrics;
using PGenRM.Evaluation.Protocols;

namespace PGenRM.Evaluation;

/// <summary>
/// Trains the hybrid model (and its ablations) on one split through the library's learner and scores every
/// test pair with each method. The scoring goes through <see cref="TestTimeScaler"/>, the same code the
/// service's scoring worker runs.
/// </summary>
public sealed class SplitEvaluator
{
    private readonly FeaturizedDataset _data;
    private readonly DataSplit _split;
    private readonly EvaluationSettings _settings;

    /// <summary>Prepares an evaluation of one split.</summary>
    public SplitEvaluator(FeaturizedDataset data, DataSplit split, EvaluationSettings settings)
    {
        _data = data;
        _split = split;
        _settings = settings;
    }

    /// <summary>Runs every method; progress reports a short phase name.</summary>
    public SplitResult Run(IProgress<string>? progress = null)
    {
        var result = new SplitResult { Split = _split.Describe() };
        var set = BuildTrainingSet();

        var full = Train(set, _settings.Trainer, "full", result, progress);
        ScoreSeen(result, MethodNames.Population, (user, chosen, rejected) => Content(full.Population, full, chosen) - Content(full.Population, full, rejected));

        if (_split.Protocol == EvaluationProtocol.SharedContent)
        {
            var popularity = ItemPopularity(set);
            ScoreSeen(result, MethodNames.ItemPopularity, (user, chosen, rejected) =>
                popularity.GetValueOrDefault(chosen) - popularity.GetValueOrDefault(rejected));
        }

        ScoreSeen(result, MethodNames.Full, (user, chosen, rejected) => MapScore(full, set, user, chosen) - MapScore(full, set, user, rejected));

        if (_settings.Ablations)
        {
            var noProto = Train(set, _settings.Trainer with { UsePrototypes = false }, "no prototypes", result, progress);
            ScoreSeen(result, MethodNames.NoPrototypes, (user, chosen, rejected) => MapScore(noProto, set, user, chosen) - MapScore(noProto, set, user, rejected));
            var content = Train(set, _settings.Trainer with { Collaborative = false }, "content only", result, progress);
            ScoreSeen(result, MethodNames.ContentOnly, (user, chosen, rejected) => MapScore(content, set, user, chosen) - MapScore(content, set, user, rejected));
            var collaborative = Train(set, _settings.Trainer with { Content = false }, "collaborative only", result, progress);
            ScoreSeen(result, MethodNames.CollaborativeOnly, (user, chosen, rejected) => MapScore(collaborative, set, user, chosen) - MapScore(collaborative, set, user, rejected));
        }

        if (_settings.BlendProbe && _split.Protocol == EvaluationProtocol.SharedContent)
        {
            var blend = BlendWeights(full, set);
            ScoreSeen(result, MethodNames.BlendProbe, (user, chosen, rejected) => BlendedScore(full, set, blend[user], user, chosen) - BlendedScore(full, set, blend[user], user, rejected));
            var (crossFitted, pooled, pooledUsers) = CrossFittedBlendWeights(full, set);
            ScoreSeen(result, "full, per-user weights on content and item strength, cross-fitted (development probe)", (user, chosen, rejected) =>
                BlendedScore(full, set, crossFitted[user], user, chosen) - BlendedScore(full, set, crossFitted[user], user, rejected));
            ScoreSeen(result, FormattableString.Invariant($"full, tenant weights on content {pooled[0]:0.00} and item strength {pooled[1]:0.00}, cross-fitted (development probe)"), (user, chosen, rejected) =>
                BlendedScore(full, set, pooled, user, chosen) - BlendedScore(full, set, pooled, user, rejected));
            ScoreSeen(result, "full, per-user weights shrunk toward the tenant's, cross-fitted (development probe)", (user, chosen, rejected) =>
                BlendedScore(full, set, pooledUsers[user], user, chosen) - BlendedScore(full, set, pooledUsers[user], user, rejected));
            foreach (double g in new[] { 0.0, 0.5 })
            {
                // The content part scaled by g where the item recurs (judged by others in train), the rest as "full".
                double[] fixedBlend = [g, 1.0];
                ScoreSeen(result, FormattableString.Invariant($"full, content part × {g} on judged items (development probe)"), (user, chosen, rejected) =>
                    RecurringScore(full, set, fixedBlend, user, chosen) - RecurringScore(full, set, fixedBlend, user, rejected));
            }
        }

        var scaled = new ScaledScorer(full, set, _data, _settings);
        foreach (int m in _settings.IndividualM)
        {
            progress?.Report($"individual m={m}");
            var scaling = _settings.Scaling with { M = m, N = 0 };
            ScoreSeen(result, MethodNames.Individual(m), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, scaling));
        }

        foreach (int n in _settings.PrototypeN)
        {
            progress?.Report($"prototype n={n}");
            var scaling = _settings.Scaling with { M = 1, N = n };
            ScoreSeen(result, MethodNames.Prototype(n), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, scaling));
        }

        if (_settings.Scaling.Weighting != NeighbourWeighting.Equal && _settings.Combined.N > 0)
        {
            // The neighbour-weighting ablation, from the same trained model (scoring only).
            var equal = _settings.Scaling with { M = 1, N = _settings.Combined.N, Weighting = NeighbourWeighting.Equal };
            ScoreSeen(result, MethodNames.PrototypeEqual(equal.N), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, equal));
        }

        foreach (double c in _settings.AgreementPriorGrid)
        {
            // Development rows for choosing the agreement rule's pseudo-count, from the same trained model (scoring only).
            var shrunk = _settings.Scaling with { M = 1, N = _settings.Combined.N, Weighting = NeighbourWeighting.Agreement, AgreementPrior = c };
            ScoreSeen(result, MethodNames.PrototypeAgreementPrior(shrunk.N, c), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, shrunk));
        }

        foreach (var target in _settings.AgreementTargetGrid)
        {
            // Development rows for choosing the agreement weights' shrink target, from the same trained model (scoring only).
            var shrunk = _settings.Scaling with { M = 1, N = _settings.Combined.N, Weighting = NeighbourWeighting.Agreement, AgreementTarget = target };
            ScoreSeen(result, MethodNames.PrototypeAgreementTarget(shrunk.N, target), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, shrunk));
        }

        foreach (var (prototype, members, agreement) in scaled.PrototypeAgreements())
        {
            // Diagnostics: what the pool target a0 is among each prototype's members (a request adds the items' judges).
            result.TrainSeconds[$"prototype {prototype}: members' agreement a0 ({members} members)"] = agreement.Mean;
        }

        progress?.Report("combined");
        var combined = _settings.Scaling with { M = _settings.Combined.M, N = _settings.Combined.N };
        ScoreSeen(result, MethodNames.Combined(combined.M, combined.N), (user, chosen, rejected) => scaled.Margin(user, chosen, rejected, combined));

        progress?.Report("cold start");
        ColdStart(result, full, set, scaled);
        return result;
    }

    private TrainingSet BuildTrainingSet()
    {
        var set = new TrainingSet(_data.ContentPrecision, _data.FactorDimension);
        foreach (var item in _data.Dataset.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            set.AddItem(item.Id, _data.Content[item.Id], _data.FactorPrior[item.Id]);
        }

        foreach (var group in _split.Train.GroupBy(p => p.UserId, StringComparer.Ordinal))
        {
            int user = set.AddUser(group.Key);
            var pairs = group.ToList();
            double weight = RatingPairWeight(pairs);
            foreach (var pair in pairs)
            {
                set.AddPair(user, set.ItemIndex(pair.ChosenId), set.ItemIndex(pair.RejectedId), weight);
            }
        }

        foreach (var (userId, stated) in _data.StatedPreference)
        {
            int user = set.UserIndex(userId);
            if (user >= 0)
            {
                set.StatedPreferences[user] = stated;
            }
        }

        return set;
    }

    private HybridTrainer Train(TrainingSet set, TrainerOptions options, string name, SplitResult result, IProgress<string>? progress)
    {
        progress?.Report($"training {name}");
        var clock = Stopwatch.StartNew();
        var trainer = new HybridTrainer(set, _settings.Model with { FactorDimension = set.FactorDimension }, options);
        trainer.Train();
        result.TrainSeconds[name] = clock.Elapsed.TotalSeconds;
        var scales = trainer.UserScales.Order().ToArray();
        result.TrainSeconds[name + " (median prior scale)"] = scales.Length == 0 ? double.NaN : scales[scales.Length / 2];
        result.TrainSeconds[name + " (prototype κ)"] = trainer.PrototypeKappa;
        return trainer;
    }

    private void ScoreSeen(SplitResult result, string method, Func<string, string, string, double> margin)
    {
        var clock = Stopwatch.StartNew();
        int pairs = 0;
        foreach (var (user, tests) in _split.SeenTest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var pair in tests)
            {
                SplitResult.Add(result.Seen, method, user, margin(user, pair.ChosenId, pair.RejectedId));
                pairs++;
            }
        }

        result.MillisecondsPerThousandPairs[method] = pairs == 0 ? 0 : clock.Elapsed.TotalMilliseconds * 1000 / pairs;
    }

    private void ColdStart(SplitResult result, HybridTrainer full, TrainingSet set, ScaledScorer scaled)
    {
        foreach (var (user, tests) in _split.UnseenTest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var pair in tests)
            {
                SplitResult.Add(result.Unseen, MethodNames.ColdStartPopulation, user,
                    Content(full.Population, full, pair.ChosenId) - Content(full.Population, full, pair.RejectedId));
            }

            var revealed = _split.UnseenTrain[user];
            foreach (int k in _settings.ColdStartK)
            {
                if (k > revealed.Count)
                {
                    continue;
                }

                var shown = revealed.Take(k).ToList();
                double weight = RatingPairWeight(shown);
                var observations = full.ObservationsFor(-1, shown.Select(p => new TrainingPair(-1, set.ItemIndex(p.ChosenId), set.ItemIndex(p.RejectedId), weight)));
                if (_data.StatedPreference.TryGetValue(user, out var stated))
                {
                    observations.Add(SchemeLearner.StatedObservation(stated, full.PriorPrecision.Length, full.Model.StatedPreferenceWeight));
                }

                var (prior, prototype) = full.PriorFor(observations);
                var posterior = SchemeLearner.FitUser(prior, observations, full.Model, collaborativeScale: full.TenantCollaborativeScale);
                var scheme = posterior.Mean;
                if (k == 0 && stated is not null)
                {
                    // The explicit signal's own effect: the same users at k = 0 with and without their stated preference.
                    var withoutStated = full.Population;
                    foreach (var pair in tests)
                    {
                        var c = full.Candidate(set.ItemIndex(pair.ChosenId));
                        var r = full.Candidate(set.ItemIndex(pair.RejectedId));
                        SplitResult.Add(result.Unseen, MethodNames.StatedWith, user, TestTimeScaler.Score(scheme, c) - TestTimeScaler.Score(scheme, r));
                        SplitResult.Add(result.Unseen, MethodNames.StatedWithout, user, TestTimeScaler.Score(withoutStated, c) - TestTimeScaler.Score(withoutStated, r));
                    }
                }

                var revealedJudgments = Judgments.FromPairs(shown.Select(p => (p.ChosenId, p.RejectedId)));
                var key = full.NeighbourKey(scheme, revealedJudgments, shown.Select(p => (p.ChosenId, p.RejectedId)));
                var pool = scaled.PoolFor(user, key, prototype);
                var scaling = _settings.Scaling with { M = 1, N = _settings.ColdStartN };
                foreach (var pair in tests)
                {
                    int chosenIndex = set.ItemIndex(pair.ChosenId), rejectedIndex = set.ItemIndex(pair.RejectedId);
                    var chosen = full.Candidate(chosenIndex);
                    var rejected = full.Candidate(rejectedIndex);
                    SplitResult.Add(result.Unseen, MethodNames.ColdStart(k), user,
                        TestTimeScaler.Score(scheme, chosen) - TestTimeScaler.Score(scheme, rejected));
                    var judges = new[] { scaled.JudgesOf(chosenIndex, user, key, scaling.N), scaled.JudgesOf(rejectedIndex, user, key, scaling.N) };
                    var fused = TestTimeScaler.Fuse([scheme], [chosen, rejected], pool, scaling, judges);
                    SplitResult.Add(result.Unseen, MethodNames.ColdStartScaled(k, _settings.ColdStartN), user, fused.Rewards[0] - fused.Rewards[1]);
                    foreach (var target in _settings.AgreementTargetGrid)
                    {
                        var shrunk = scaling with { Weighting = NeighbourWeighting.Agreement, AgreementTarget = target };
                        var row = TestTimeScaler.Fuse([scheme], [chosen, rejected], pool, shrunk, judges);
                        SplitResult.Add(result.Unseen, MethodNames.ColdStartAgreementTarget(k, shrunk.N, target), user, row.Rewards[0] - row.Rewards[1]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Development probe (issue 11, not in the service): per seen user, weights (γ, β) on the content part w·Δx and the
    /// item strength Δb of the trained scheme, fitted on the user's own train pairs with p·Δv as offset, prior N(1, 1/s)
    /// per weight, s chosen by the Laplace evidence over {1, 4, 16, 64}. Measures whether letting each user lean on item
    /// strength (or on content) by the evidence would close the gap to item popularity on shared content.
    /// </summary>
    private Dictionary<string, double[]> BlendWeights(HybridTrainer full, TrainingSet set)
    {
        var weights = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var prior = new DiagonalGaussian([1.0, 1.0], [1.0, 1.0]);
        foreach (var group in _split.Train.GroupBy(p => p.UserId, StringComparer.Ordinal))
        {
            int u = set.UserIndex(group.Key);
            if (u < 0)
            {
                continue;
            }

            var pairs = group.ToList();
            double weight = RatingPairWeight(pairs);
            var observations = pairs.Select(p =>
            {
                var (cc, cb, cf) = Parts(full, u, set.ItemIndex(p.ChosenId));
                var (rc, rb, rf) = Parts(full, u, set.ItemIndex(p.RejectedId));
                return new LogisticObservation([cc - rc, cb - rb], cf - rf, weight);
            }).ToList();
            LaplacePosterior? best = null;
            foreach (double scale in new[] { 64.0, 16, 4, 1 })
            {
                var fit = BayesianLogistic.Fit(prior, scale, observations);
                if (best is null || fit.LogEvidence > best.LogEvidence + 1e-9)
                {
                    best = fit;
                }
            }

            weights[group.Key] = best!.Mean;
        }

        return weights;
    }

    /// <summary>
    /// As <see cref="BlendWeights"/>, but each pair's parts come from the user's scheme refitted without that pair's half
    /// of the history (two folds, alternate pairs), so the weights are fitted on held-out predictions.
    /// </summary>
    private static (Dictionary<string, double[]> PerUser, double[] Pooled, Dictionary<string, double[]> Shrunk) CrossFittedBlendWeights(HybridTrainer full, TrainingSet set)
    {
        var weights = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var prior = new DiagonalGaussian([1.0, 1.0], [1.0, 1.0]);
        var heldByUser = new Dictionary<string, List<LogisticObservation>>(StringComparer.Ordinal);
        for (int u = 0; u < set.UserIds.Count; u++)
        {
            var observations = full.Observations(u).Where(o => o.ContentLength is not null).ToList();
            var held = new List<LogisticObservation>(observations.Count);
            for (int fold = 0; fold < 2 && observations.Count >= 4; fold++)
            {
                var fit = observations.Where((_, i) => i % 2 != fold).ToList();
                var scheme = SchemeLearner.FitUser(full.UserPriors[u], fit, full.Model, collaborativeScale: full.TenantCollaborativeScale).Mean;
                foreach (var o in observations.Where((_, i) => i % 2 == fold))
                {
                    int d = o.ContentLength!.Value;
                    double content = 0, factor = 0;
                    for (int i = 0; i < o.Features.Length; i++)
                    {
                        if (i < d)
                        {
                            content += scheme[i] * o.Features[i];
                        }
                        else
                        {
                            factor += scheme[i] * o.Features[i];
                        }
                    }

                    held.Add(new LogisticObservation([content, o.Offset], factor, o.Weight));
                }
            }

            heldByUser[set.UserIds[u]] = held;
            weights[set.UserIds[u]] = BestByEvidence(prior, held);
        }

        // The tenant's weights: one fit on every user's held-out predictions (weak prior toward 1); then each user's
        // weights with the tenant's as prior mean.
        var pooled = BayesianLogistic.Fit(new DiagonalGaussian([1.0, 1.0], [1.0, 1.0]), 0.01, heldByUser.Values.SelectMany(h => h).ToList()).Mean;
        var towardPooled = new DiagonalGaussian(pooled, [1.0, 1.0]);
        var shrunk = heldByUser.ToDictionary(kv => kv.Key, kv => BestByEvidence(towardPooled, kv.Value), StringComparer.Ordinal);
        return (weights, pooled, shrunk);
    }

    private static double[] BestByEvidence(DiagonalGaussian prior, List<LogisticObservation> held)
    {
        LaplacePosterior? best = null;
        foreach (double scale in new[] { 64.0, 16, 4, 1 })
        {
            var fit = BayesianLogistic.Fit(prior, scale, held);
            if (best is null || fit.LogEvidence > best.LogEvidence + 1e-9)
            {
                best = fit;
            }
        }

        return best!.Mean;
    }

    private static (double Content, double Strength, double Factor) Parts(HybridTrainer full, int user, int item)
    {
        var scheme = full.UserSchemes[user];
        var candidate = full.Candidate(item);
        double content = TestTimeScaler.ContentScore(scheme, candidate);
        double strength = candidate.Item.Strength;
        return (content, strength, TestTimeScaler.Score(scheme, candidate) - content - strength);
    }

    private static double BlendedScore(HybridTrainer full, TrainingSet set, double[] blend, string user, string item)
    {
        var (content, strength, factor) = Parts(full, set.UserIndex(user), set.ItemIndex(item));
        return (blend[0] * content) + (blend[1] * strength) + factor;
    }

    private static double RecurringScore(HybridTrainer full, TrainingSet set, double[] blend, string user, string item)
    {
        var candidate = full.Candidate(set.ItemIndex(item));
        return candidate.Item.Judged ? BlendedScore(full, set, blend, user, item) : MapScore(full, set, user, item);
    }

    private Dictionary<string, double> ItemPopularity(TrainingSet set) =>
        Judgments.FromPairs(_split.Train.Select(p => (p.ChosenId, p.RejectedId)));

    /// <summary>
    /// Weight of each pair built from one user's ratings (<see cref="RatingPairs.Weight{T}"/>, the rule the user grain
    /// uses too). Direct pairwise data keeps weight 1.
    /// </summary>
    private double RatingPairWeight(IReadOnlyCollection<PairJudgment> pairs) =>
        _data.Dataset.Ratings.Count == 0 || pairs.Count == 0
            ? 1
            : RatingPairs.Weight(pairs.Select(p => (p.ChosenId, p.RejectedId)).ToList(), StringComparer.Ordinal);

    private static double Content(double[] scheme, HybridTrainer trainer, string item) =>
        TestTimeScaler.ContentScore(scheme, trainer.Candidate(trainer.ItemIndexOf(item)));

    private static double MapScore(HybridTrainer trainer, TrainingSet set, string user, string item)
    {
        int u = set.UserIndex(user);
        return TestTimeScaler.Score(trainer.UserSchemes[u], trainer.Candidate(set.ItemIndex(item)));
    }

    /// <summary>Right, wrong or tie from the chosen-minus-rejected margin.</summary>
    public static PairOutcome Outcome(double margin) =>
        Math.Abs(margin) < 1e-12 ? PairOutcome.Tie : margin > 0 ? PairOutcome.Correct : PairOutcome.Wrong;
}

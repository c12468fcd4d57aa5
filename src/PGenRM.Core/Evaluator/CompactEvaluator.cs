using PGenRM.Core.Chains;
using PGenRM.Core.Criteria;
using PGenRM.Core.Encoding;
using PGenRM.Core.Features;
using PGenRM.Core.Model;
using PGenRM.Core.Scenarios;

namespace PGenRM.Core.Evaluator;

/// <summary>
/// The embedded evaluator backend: encodes queries and responses with the sentence encoder, turns feedback into
/// pair evidence for a <see cref="UserModel"/>, and scores candidates with dual-granularity scaling into an
/// <see cref="EvaluationChain"/>. Stateless apart from the encoder and the feature space, so one instance serves
/// a whole silo.
/// </summary>
public sealed class CompactEvaluator
{
    private readonly ISentenceEncoder _encoder;
    private readonly ChainBuilder _chains;

    private CompactEvaluator(ISentenceEncoder encoder, FeatureSpace features, HybridModelOptions model)
    {
        _encoder = encoder;
        Features = features;
        Model = model with { FactorDimension = features.FactorDimension };
        _chains = new ChainBuilder(features.Bank);
        ModelVersion = $"compact-hybrid-bt/2 ({encoder.ModelId}; {features.Version})";
    }

    /// <summary>The feature space (criteria bank, scenarios, residual, factor projection).</summary>
    public FeatureSpace Features { get; }

    /// <summary>Model hyper-parameters, with F matching the feature space.</summary>
    public HybridModelOptions Model { get; }

    /// <summary>Identifies encoder, feature layout and model; returned with every score.</summary>
    public string ModelVersion { get; }

    /// <summary>Builds the bank and scenario set with <paramref name="encoder"/> (a few hundred short texts).</summary>
    public static async Task<CompactEvaluator> CreateAsync(
        ISentenceEncoder encoder,
        HybridModelOptions? model = null,
        FeatureSpaceOptions? features = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var bank = await CriteriaBank.CreateAsync(encoder, cancellationToken: cancellationToken).ConfigureAwait(false);
        var scenarios = await ScenarioSet.CreateAsync(encoder, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CompactEvaluator(encoder, FeatureSpace.Create(bank, scenarios, features), model ?? new HybridModelOptions());
    }

    /// <summary>Length of a user's scheme θ = [w; p; δ]: the features, then <see cref="HybridModelOptions.CollaborativeDimension"/>.</summary>
    public int SchemeDimension => Features.Dimension + Model.CollaborativeDimension;

    /// <summary>The population prior with zero mean (a tenant with no data yet).</summary>
    public DiagonalGaussian DefaultPrior()
    {
        var precision = new double[SchemeDimension];
        for (int i = 0; i < precision.Length; i++)
        {
            precision[i] = i < Features.Dimension ? Features.BasePrecision[i] : Model.CollaborativePrecision(i - Features.Dimension);
        }

        return DiagonalGaussian.Zero(precision);
    }

    /// <summary>Encodes a query and its candidates in one encoder batch.</summary>
    public async Task<EncodedQuery> EncodeAsync(string query, IReadOnlyList<string> candidates, IReadOnlyList<string?>? candidateIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        var texts = new List<string>(candidates.Count + 1) { query };
        texts.AddRange(candidates);
        var vectors = await _encoder.EncodeBatchAsync(texts, cancellationToken).ConfigureAwait(false);
        var q = vectors[0];
        var encoded = new EncodedCandidate[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            var r = vectors[i + 1];
            encoded[i] = new EncodedCandidate(
                ItemIds.For(candidates[i], candidateIds?[i]),
                Features.Bank.Score(q, r, candidates[i]),
                Features.Content(q, r, candidates[i]),
                Features.FactorPrior(r));
        }

        return new EncodedQuery(query, q, Features.ScenarioWeights(q), encoded);
    }

    /// <summary>Pair evidence for "chosen ≻ rejected" on an encoded query with two candidates.</summary>
    public static PairEvidence Evidence(EncodedQuery query, ItemView chosen, ItemView rejected, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Candidates.Count != 2)
        {
            throw new ArgumentException("Pair evidence needs a query encoded with exactly two candidates (chosen, rejected).", nameof(query));
        }

        var c = query.Candidates[0];
        var r = query.Candidates[1];
        var diff = new double[c.Content.Length];
        for (int i = 0; i < diff.Length; i++)
        {
            diff[i] = c.Content[i] - r.Content[i];
        }

        return new PairEvidence(c.ItemId, r.ItemId, diff, chosen, rejected, query.Embedding, weight);
    }

    /// <summary>
    /// The stated-preference pseudo-pair: "a response that says what the user's statement says ≻ an average response",
    /// on the residual (meaning) block only (<see cref="FeatureSpace.StatedPreferenceFeatures"/>). The average is the
    /// bank's calibration centre, i.e. zero in residual space.
    /// </summary>
    public async Task<double[]> StatedPreferenceAsync(string statedText, string? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(statedText);
        var encoded = await EncodeAsync(query ?? "How should the assistant answer me?", [statedText], null, cancellationToken).ConfigureAwait(false);
        return Features.StatedPreferenceFeatures(encoded.Candidates[0].Content);
    }

    /// <summary>
    /// Scores encoded candidates for a user and builds the chain: individual level from the user's model
    /// (m schemes), prototype level from the neighbour pool, fused by the scaling options.
    /// </summary>
    public EvaluationResult Evaluate(
        UserModel user,
        EncodedQuery query,
        IReadOnlyList<ItemView> items,
        IReadOnlyList<Neighbour> neighbours,
        ScalingOptions scaling,
        string seedKey)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scaling);
        scaling.Validate();
        var schemes = TestTimeScaler.IndividualSchemes(user.Scheme, user.Prior, user.Scale, user.HistoryEntries(), query.Embedding, scaling, Model, seedKey, user.TenantCollaborativeScale);
        return Evaluate(user.Scheme, schemes, user.IsColdStart, query, items, neighbours, null, scaling);
    }

    /// <summary>
    /// Scores encoded candidates from precomputed parts, the path the scoring worker takes with what the grains hold:
    /// the user's posterior mean and its m individual-level schemes (<see cref="TestTimeScaler.IndividualSchemes"/>),
    /// the prototype pool and each candidate's own judges (most similar first, never the scored user).
    /// </summary>
    /// <param name="scheme">The user's posterior mean θ (the rubric's weights come from it).</param>
    /// <param name="individualSchemes">The m individual-level schemes (at least one).</param>
    /// <param name="isColdStart">Whether the user had no feedback and no stated preference (reported in the chain).</param>
    /// <param name="query">The encoded query and candidates.</param>
    /// <param name="items">Item statistics, one per candidate.</param>
    /// <param name="pool">The user's prototype members (without the user), most similar first.</param>
    /// <param name="judges">Per candidate, the item's judges (without the user), most similar first; null = none.</param>
    /// <param name="scaling">m, n and the fusion weights.</param>
    public EvaluationResult Evaluate(
        double[] scheme,
        IReadOnlyList<double[]> individualSchemes,
        bool isColdStart,
        EncodedQuery query,
        IReadOnlyList<ItemView> items,
        IReadOnlyList<Neighbour> pool,
        IReadOnlyList<IReadOnlyList<Neighbour>>? judges,
        ScalingOptions scaling)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(individualSchemes);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(scaling);
        scaling.Validate();
        int expected = SchemeDimension;
        if (scheme.Length != expected)
        {
            throw new ArgumentException($"The scheme has {scheme.Length} values; this evaluator's schemes have {expected}.", nameof(scheme));
        }

        if (individualSchemes.Count == 0 || individualSchemes.Any(s => s is null || s.Length != expected))
        {
            throw new ArgumentException($"Expected at least one individual scheme, each of {expected} values.", nameof(individualSchemes));
        }

        if (items.Count != query.Candidates.Count)
        {
            throw new ArgumentException($"Got {items.Count} item statistics for {query.Candidates.Count} candidates.", nameof(items));
        }

        if (judges is not null && judges.Count != query.Candidates.Count)
        {
            throw new ArgumentException($"Got judges for {judges.Count} candidates; there are {query.Candidates.Count}.", nameof(judges));
        }

        var candidates = query.Candidates.Select((c, i) => new Candidate(c.ItemId, c.Content, items[i])).ToList();
        var fused = TestTimeScaler.Fuse(individualSchemes, candidates, pool, scaling, judges);
        var scenario = Features.Scenarios.Dominant(query.ScenarioWeights);
        var weights = Features.EffectiveCriterionWeights(scheme, query.ScenarioWeights);
        var trace = new ScalingTrace(individualSchemes.Count, fused.Neighbours.Count, fused.Neighbours, fused.Agreement,
            1 - fused.CollaborativeShare, fused.CollaborativeShare, isColdStart);
        var chain = _chains.Build(scenario, weights, query.Candidates.Select(c => c.CriterionScores).ToList(), fused.Rewards, trace, ModelVersion);
        return new EvaluationResult(fused.Rewards, chain, fused);
    }

    /// <summary>Calibrated probability that candidate 0 beats candidate 1 for this user (posterior-integrated).</summary>
    public static double PreferenceProbability(UserModel user, Candidate first, Candidate second)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var z = new double[user.Scheme.Length];
        int d = first.Content.Length;
        for (int i = 0; i < d; i++)
        {
            z[i] = first.Content[i] - second.Content[i];
        }

        var firstFactor = first.Item.ScoredFactor;
        var secondFactor = second.Item.ScoredFactor;
        for (int k = 0; k < firstFactor.Length && d + k < z.Length; k++)
        {
            z[d + k] = firstFactor[k] - (k < secondFactor.Length ? secondFactor[k] : 0);
        }

        // δ's feature: the strength difference, which the offset also carries once (weight 1 + δ).
        double offset = first.Item.Strength - second.Item.Strength;
        if (firstFactor.Length > 0 && d + firstFactor.Length < z.Length)
        {
            z[d + firstFactor.Length] = offset;
        }
        return user.Posterior?.PreferenceProbability(z, offset)
            ?? BayesianLogistic.Sigmoid(TestTimeScaler.Score(user.Scheme, first) - TestTimeScaler.Score(user.Scheme, second));
    }
}

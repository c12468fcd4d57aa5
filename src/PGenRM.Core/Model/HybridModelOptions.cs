namespace PGenRM.Core.Model;

/// <summary>
/// Hyper-parameters of the hybrid Bradley–Terry model. A user's score for response r of query q is
/// s = wᵤ·x(q,r) + (1 + δᵤ)·bᵣ + pᵤ·vᵣ with vᵣ = uᵣ + oᵣ: a content part (weights over the feature vector x) and a
/// collaborative part (item strength b, the user's weight on it 1 + δ, user factor p, item factor v whose prior mean u
/// comes from the response embedding, so an item nobody judged falls back to content). A user's scheme is
/// θ = [w; p; δ] (δ only when F > 0).
/// </summary>
public sealed record HybridModelOptions
{
    /// <summary>Dimension F of user and item factors.</summary>
    public int FactorDimension { get; init; } = 8;

    /// <summary>Base prior precision of a user's factor around its prototype's factor.</summary>
    public double FactorPrecision { get; init; } = 1.0;

    /// <summary>
    /// Base prior precision of a user's strength weight δ around its prototype's (the population's is 0: the item
    /// strength counts once). Scaled with the factor block by the user's collaborative prior scale, so a user whose
    /// judgments run against what everyone else chose (b) can turn its weight down or negative: on the DSP development
    /// split an unseen user of a register that the other users all rejected scored 32.5 % at k = 5 with the weight
    /// fixed at 1 (the population: 48.2 %), 70.5 % with it. 1/64 was chosen on development seeds over 1/16 (which cost
    /// seen users 0.6 and GSC 1.4 points); docs/EVALUATION.md, issue 11, session 6.
    /// </summary>
    public double StrengthWeightPrecision { get; init; } = 1.0 / 64;

    /// <summary>
    /// The scheme's coordinates after the content weights: the user factor p (F) and the strength weight δ, which
    /// exists only with a factor block (no collaborative part, no item strength to weigh).
    /// </summary>
    public int CollaborativeDimension => FactorDimension == 0 ? 0 : FactorDimension + 1;

    /// <summary>Base prior precision of collaborative coordinate <paramref name="k"/> (p's, then δ's).</summary>
    public double CollaborativePrecision(int k) => k < FactorDimension ? FactorPrecision : StrengthWeightPrecision;

    /// <summary>Prior precision of an item's strength b around 0 (the content part carries the rest).</summary>
    public double ItemStrengthPrecision { get; init; } = 0.5;

    /// <summary>Prior precision of an item's factor offset o around 0.</summary>
    public double ItemFactorPrecision { get; init; } = 2.0;

    /// <summary>Scale applied to the content-derived item factor prior uᵣ.</summary>
    public double ItemFactorPriorScale { get; init; } = 1.0;

    /// <summary>
    /// Candidate prior strengths for a user; for the content weights the one with the largest Laplace evidence wins
    /// (empirical Bayes per user), so users with a distinct taste get a weak prior and users who match their prototype a
    /// strong one; for the collaborative part the tenant's choice over the same grid (<see cref="CollaborativeScale"/>).
    /// The grid spans 1/64 to 1024 (factors of 4): at the old floor of 1/4 a user with a strong taste on weak features
    /// was held back, and the old ceiling of 256 was where most users ended (PriorStrengthTests plants both cases).
    /// </summary>
    public IReadOnlyList<double> PriorScaleGrid { get; init; } = [1.0 / 64, 1.0 / 16, 0.25, 1, 4, 16, 64, 256, 1024];

    /// <summary>
    /// Whether a user is fitted content first and the collaborative part on the residual (<see cref="SchemeLearner.FitUser"/>);
    /// false fits [w; p] jointly, as before issue 11 (kept for the evaluation's ablation).
    /// </summary>
    public bool CollaborativeOnResidual { get; init; } = true;

    /// <summary>How the prior strength is chosen per user (evidence by default).</summary>
    public PriorScaleCriterion PriorScaleCriterion { get; init; } = PriorScaleCriterion.Evidence;

    /// <summary>
    /// How often the online update re-runs the prior-scale grid search: on each of the first this many pairs, then
    /// every this many added pairs and whenever the pair count has doubled since the last search; in between, <see cref="UserModel.Add"/> refits at the
    /// current scale only (one fit instead of one per grid scale). 1 searches on every pair.
    /// <see cref="UserModel.Restore"/>, a new prior and a stated preference always search.
    /// </summary>
    public int PriorScaleSearchInterval { get; init; } = 16;

    /// <summary>Pairs kept verbatim per user; older ones are folded into sufficient statistics.</summary>
    public int HistoryCapacity { get; init; } = 256;

    /// <summary>Observations kept verbatim per item; older ones are folded.</summary>
    public int ItemHistoryCapacity { get; init; } = 2048;

    /// <summary>Newton iterations per fit (warm-started fits converge in 2–3).</summary>
    public int NewtonIterations { get; init; } = 6;

    /// <summary>Weight of a stated-preference pseudo-pair relative to a real pair.</summary>
    public double StatedPreferenceWeight { get; init; } = 3.0;

    /// <summary>Checks the options and names the first bad one.</summary>
    public void Validate()
    {
        if (FactorDimension < 0 || FactorDimension > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(FactorDimension), FactorDimension, "FactorDimension must be between 0 and 256.");
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(FactorPrecision), FactorPrecision), (nameof(ItemStrengthPrecision), ItemStrengthPrecision),
                     (nameof(StrengthWeightPrecision), StrengthWeightPrecision),
                     (nameof(ItemFactorPrecision), ItemFactorPrecision),
                 })
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
            }
        }

        if (PriorScaleGrid.Count == 0 || PriorScaleGrid.Any(s => !(s > 0) || double.IsInfinity(s)))
        {
            throw new ArgumentException("PriorScaleGrid must hold at least one positive finite scale.", nameof(PriorScaleGrid));
        }

        if (HistoryCapacity < 1 || ItemHistoryCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HistoryCapacity), "History capacities must be at least 1.");
        }

        if (PriorScaleSearchInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PriorScaleSearchInterval), PriorScaleSearchInterval, "PriorScaleSearchInterval must be at least 1.");
        }

        if (StatedPreferenceWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StatedPreferenceWeight), StatedPreferenceWeight, "StatedPreferenceWeight must be ≥ 0.");
        }
    }
}

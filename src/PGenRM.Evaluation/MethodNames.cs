namespace PGenRM.Evaluation;

/// <summary>Row names of the evaluation tables (stable: the JSON output is keyed by them).</summary>
public static class MethodNames
{
    /// <summary>Population content model, no user signal.</summary>
    public const string Population = "population (no user signal)";

    /// <summary>Mean judgment of the item by other users in train.</summary>
    public const string ItemPopularity = "item popularity (other users)";

    /// <summary>Full hybrid, users' prior is the population (no prototype level in the hierarchy or scaling).</summary>
    public const string NoPrototypes = "per-user, no prototypes";

    /// <summary>Content part alone (no item statistics).</summary>
    public const string ContentOnly = "content part only";

    /// <summary>Collaborative part alone (no content weights).</summary>
    public const string CollaborativeOnly = "collaborative part only";

    /// <summary>Full method, m = 1, n = 0.</summary>
    public const string Full = "full, no scaling";

    /// <summary>Full method with individual scaling of size m.</summary>
    public static string Individual(int m) => $"full + individual m={m}";

    /// <summary>Full method with prototype scaling of size n.</summary>
    public static string Prototype(int n) => $"full + prototype n={n}";

    /// <summary>
    /// Full method with prototype scaling of size n whose neighbours all count equally (the paper's mean, the rule before
    /// issue 11 session 3): the ablation of <see cref="PGenRM.Core.Model.NeighbourWeighting.Agreement"/>.
    /// </summary>
    public static string PrototypeEqual(int n) => $"full + prototype n={n}, equal neighbour weights";

    /// <summary>Development row: prototype scaling of size n under agreement weights with pseudo-count c.</summary>
    public static string PrototypeAgreementPrior(int n, double c) =>
        FormattableString.Invariant($"full + prototype n={n}, agreement prior c={c:0.###}");

    /// <summary>Development row: prototype scaling of size n under agreement weights shrunk toward the given target.</summary>
    public static string PrototypeAgreementTarget(int n, PGenRM.Core.Model.AgreementTarget target) => $"full + prototype n={n}, agreement target {target}";

    /// <summary>Development row: an unseen user given k judgments, prototype level of size n shrunk toward the given target.</summary>
    public static string ColdStartAgreementTarget(int k, int n, PGenRM.Core.Model.AgreementTarget target) => $"unseen k={k}: full + n={n}, agreement target {target}";

    /// <summary>Development probe: the full scheme with per-user weights on its content part and item strength.</summary>
    public const string BlendProbe = "full, per-user weights on content and item strength (development probe)";

    /// <summary>Full method with both levels.</summary>
    public static string Combined(int m, int n) => $"full + m={m}, n={n}";

    /// <summary>Unseen user given k judgments, full method without scaling.</summary>
    public static string ColdStart(int k) => $"unseen k={k}: full";

    /// <summary>Unseen user given k judgments, with the prototype level.</summary>
    public static string ColdStartScaled(int k, int n) => $"unseen k={k}: full + n={n}";

    /// <summary>Unseen users who wrote a stated preference, k = 0, using it.</summary>
    public const string StatedWith = "unseen k=0, users with a stated preference: using it";

    /// <summary>The same users at k = 0 without their stated preference (the population prior).</summary>
    public const string StatedWithout = "unseen k=0, users with a stated preference: ignoring it";

    /// <summary>Unseen users scored by the population model.</summary>
    public const string ColdStartPopulation = "unseen: population";
}

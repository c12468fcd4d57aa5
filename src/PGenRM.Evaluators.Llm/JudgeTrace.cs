namespace PGenRM.Evaluators.Llm;

/// <summary>What each scaling level contributed to a judgment, and what it cost.</summary>
/// <param name="M">Individual-level chains asked for.</param>
/// <param name="N">Prototype-level chains asked for (neighbours available may be fewer).</param>
/// <param name="IndividualChains">Readable individual-level chains averaged (per comparison, summed).</param>
/// <param name="PrototypeChains">Readable prototype-level chains averaged.</param>
/// <param name="IndividualMeans">Per candidate, the mean final score of the user's own chains (null when none was readable).</param>
/// <param name="PrototypeMeans">Per candidate, the mean final score of the neighbours' chains (null when n = 0 or none was readable).</param>
/// <param name="IndividualWeight">Weight of the individual level in the fusion (0.5 with both levels, else 1 or 0).</param>
/// <param name="Neighbours">Ids of the neighbours whose histories conditioned a chain.</param>
/// <param name="SwappedChains">Chains that saw the two responses in swapped order (position-bias control).</param>
/// <param name="Requests">Requests sent to the model server (repairs included).</param>
/// <param name="InputTokens">Prompt tokens the server reported.</param>
/// <param name="OutputTokens">Generated tokens the server reported.</param>
/// <param name="ParseFailures">Answers that were unreadable at first.</param>
/// <param name="Repairs">Repair attempts made.</param>
/// <param name="ModelLatencyMs">Wall time of the judgment's model calls, in milliseconds.</param>
/// <param name="NSampling">True when individual-level chains were drawn with one <c>n</c>-sampling request per order.</param>
/// <param name="Cached">True when the judgment came from the cache (no model call).</param>
public sealed record JudgeTrace(
    int M,
    int N,
    int IndividualChains,
    int PrototypeChains,
    double[]? IndividualMeans,
    double[]? PrototypeMeans,
    double IndividualWeight,
    IReadOnlyList<string> Neighbours,
    int SwappedChains,
    int Requests,
    long InputTokens,
    long OutputTokens,
    int ParseFailures,
    int Repairs,
    double ModelLatencyMs,
    bool NSampling,
    bool Cached)
{
    /// <summary>Per candidate, what the collaborative part (items' statistics, neighbours' actual judgments) added to the
    /// judge's fused score; null until the service fuses it (all 0 for items nobody judged).</summary>
    public double[]? Collaborative { get; init; }

    /// <summary>The collaborative part's share of the reward spread (0 when no judgment bears on the candidates).</summary>
    public double CollaborativeShare { get; init; }
}

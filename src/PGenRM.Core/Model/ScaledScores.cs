namespace PGenRM.Core.Model;

/// <summary>Fused rewards with the parts they came from, for the chain's scaling trace.</summary>
/// <param name="Rewards">Final reward per candidate.</param>
/// <param name="Individual">Individual-level mean per candidate.</param>
/// <param name="Prototype">Prototype-level mean per candidate, or null when n = 0 or no neighbour exists.</param>
/// <param name="Neighbours">Ids of the neighbours that contributed.</param>
/// <param name="Agreement">Share of individual schemes and neighbours whose own preferred candidate is the fused one.</param>
/// <param name="CollaborativeShare">Share of the reward spread explained by what judgments taught: item strengths,
/// learned item factor offsets and neighbours' judgments (the content-derived factor prior counts as content), so
/// 0 for items nobody judged.</param>
public sealed record ScaledScores(
    double[] Rewards,
    double[] Individual,
    double[]? Prototype,
    IReadOnlyList<string> Neighbours,
    double Agreement,
    double CollaborativeShare)
{
    /// <summary>Per candidate, the part of <see cref="Rewards"/> learned from judgments (reward minus the content part;
    /// 0 for items nobody judged). Empty when the scores were not built by the scaler.</summary>
    public double[] Collaborative { get; init; } = [];
}

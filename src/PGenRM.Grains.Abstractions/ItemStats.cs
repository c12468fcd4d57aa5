namespace PGenRM.Grains.Abstractions;

/// <summary>An item's learned statistics. An item nobody judged has strength 0 and a zero offset.</summary>
/// <param name="Strength">Item strength b.</param>
/// <param name="FactorOffset">Learned factor offset o (empty before the first judgment); v = u + o.</param>
/// <param name="Wins">Times chosen.</param>
/// <param name="Losses">Times rejected.</param>
/// <param name="RecentJudges">The most recent judgments (judge, sign), oldest first (bounded); without schemes or keys.</param>
/// <param name="PrototypeTallies">Wins and losses per judge prototype (null prototype = judges not yet clustered).</param>
/// <param name="NearestJudges">Only from <see cref="IItemGrain.GetScoringStatsAsync"/>: the distinct recent judges most similar
/// to the scored user, most similar first, with their latest scheme and key (empty otherwise).</param>
/// <param name="Version">Changes with every applied batch of judgments (0 for an item never judged since it was stored
/// without a version); readers cache the statistics by (item, version).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ItemStats")]
public sealed record ItemStats(
    [property: Id(0)] double Strength,
    [property: Id(1)] double[] FactorOffset,
    [property: Id(2)] long Wins,
    [property: Id(3)] long Losses,
    [property: Id(4)] IReadOnlyList<ItemJudge> RecentJudges,
    [property: Id(5)] IReadOnlyList<PrototypeTally> PrototypeTallies,
    [property: Id(6)] IReadOnlyList<ItemJudge> NearestJudges,
    [property: Id(7)] long Version = 0)
{
    /// <summary>Judgments recorded (wins + losses).</summary>
    public long Judgments => Wins + Losses;
}

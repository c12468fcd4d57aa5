namespace PGenRM.Grains;

/// <summary>
/// What an item grain stores (storage "items", state "item"): its fitted [b; o], tallies, and bounded lists
/// (observations beyond <see cref="ItemGrain.ObservationCapacity"/> are folded into <see cref="FoldedMean"/>/<see cref="FoldedPrecision"/>).
/// </summary>
/// <remarks>
/// Stored through <see cref="Storage.PGenRMGrainStorageSerializer"/> (the Orleans serializer, fields by <c>[Id]</c>) and
/// written behind by <see cref="ItemGrain"/>: never renumber ids or rename the alias. A row stored before
/// <see cref="Version"/> existed reads as version 0.
/// </remarks>
[GenerateSerializer, Alias("PGenRM.ItemState")]
public sealed class ItemState
{
    /// <summary>Item strength b.</summary>
    [Id(0)] public double Strength { get; set; }

    /// <summary>Factor offset o (empty before the first judgment).</summary>
    [Id(1)] public double[] FactorOffset { get; set; } = [];

    /// <summary>Times chosen.</summary>
    [Id(2)] public long Wins { get; set; }

    /// <summary>Times rejected.</summary>
    [Id(3)] public long Losses { get; set; }

    /// <summary>Observations kept verbatim, oldest first.</summary>
    [Id(4)] public List<StoredObservation> Observations { get; set; } = [];

    /// <summary>Centre of folded observations (empty while nothing is folded).</summary>
    [Id(5)] public double[] FoldedMean { get; set; } = [];

    /// <summary>Precision of folded observations, column-major (empty while nothing is folded).</summary>
    [Id(6)] public double[] FoldedPrecision { get; set; } = [];

    /// <summary>Observations folded.</summary>
    [Id(7)] public int FoldedCount { get; set; }

    /// <summary>The most recent judgment ids, oldest first (de-duplication window).</summary>
    [Id(8)] public List<string> RecentJudgmentIds { get; set; } = [];

    /// <summary>The most recent judges, oldest first.</summary>
    [Id(9)] public List<StoredJudge> RecentJudges { get; set; } = [];

    /// <summary>Wins and losses per judge prototype.</summary>
    [Id(10)] public List<StoredTally> PrototypeTallies { get; set; } = [];

    /// <summary>Incremented by every applied batch of judgments and by a reset (readers cache statistics by it).</summary>
    [Id(11)] public long Version { get; set; }
}

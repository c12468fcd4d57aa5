namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One response's statistics within a tenant: strength, factor offset, tallies and recent judges.
/// Key: <see cref="GrainKeys.Item"/> ("{tenant}/{item}").
/// </summary>
[Alias("PGenRM.IItemGrain")]
public interface IItemGrain : IGrainWithStringKey
{
    /// <summary>Records one judgment; idempotent by <see cref="ItemJudgment.JudgmentId"/>. Returns the statistics after it.</summary>
    [Alias("RecordJudgmentAsync")]
    Task<ItemStats> RecordJudgmentAsync(ItemJudgment judgment, CancellationToken cancellationToken = default);

    /// <summary>The item's statistics.</summary>
    [Alias("GetStatsAsync")]
    Task<ItemStats> GetStatsAsync(CancellationToken cancellationToken = default);
}

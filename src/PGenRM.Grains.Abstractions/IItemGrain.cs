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

    /// <summary>The item's statistics (<see cref="ItemStats.NearestJudges"/> empty).</summary>
    [Alias("GetStatsAsync")]
    Task<ItemStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The statistics for scoring one user: <see cref="ItemStats.NearestJudges"/> holds up to <paramref name="n"/> distinct
    /// recent judges other than <paramref name="excludeJudgeId"/>, most similar (cosine of keys) to <paramref name="userKey"/>
    /// first, ties by judge id (ordinal).
    /// </summary>
    [Alias("GetScoringStatsAsync")]
    Task<ItemStats> GetScoringStatsAsync(float[] userKey, string excludeJudgeId, int n, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every recent-judge entry of <paramref name="judgeId"/> (a deleted user). Tallies and the fitted strength keep
    /// the judgments as anonymous aggregates. Returns whether anything was removed.
    /// </summary>
    [Alias("RemoveJudgeAsync")]
    Task<bool> RemoveJudgeAsync(string judgeId, CancellationToken cancellationToken = default);
}

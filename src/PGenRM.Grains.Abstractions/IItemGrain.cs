using Orleans.Concurrency;

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One response's statistics within a tenant: strength, factor offset, tallies and recent judges.
/// Key: <see cref="GrainKeys.Item"/> ("{tenant}/{item}"). Judgments arrive in batches from each silo's derived-statistics
/// pipeline (<see cref="ApplyJudgmentsAsync"/>), are applied in memory and written behind; the reads are
/// <see cref="ReadOnlyAttribute"/> and interleave with each other.
/// </summary>
[Alias("PGenRM.IItemGrain")]
public interface IItemGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records one judgment and writes the item before returning; idempotent by <see cref="ItemJudgment.JudgmentId"/>.
    /// Returns the statistics after it. The feedback path uses <see cref="ApplyJudgmentsAsync"/> instead.
    /// </summary>
    [Alias("RecordJudgmentAsync")]
    Task<ItemStats> RecordJudgmentAsync(ItemJudgment judgment, CancellationToken cancellationToken = default);

    /// <summary>The item's statistics (<see cref="ItemStats.NearestJudges"/> empty).</summary>
    [Alias("GetStatsAsync"), ReadOnly]
    Task<ItemStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The statistics for scoring one user: <see cref="ItemStats.NearestJudges"/> holds up to <paramref name="n"/> distinct
    /// recent judges other than <paramref name="excludeJudgeId"/>, most similar (cosine of judgment sketches) to <paramref name="userSketch"/>
    /// first, ties by judge id (ordinal).
    /// </summary>
    [Alias("GetScoringStatsAsync"), ReadOnly]
    Task<ItemStats> GetScoringStatsAsync(float[] userSketch, string excludeJudgeId, int n, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every recent-judge entry of <paramref name="judgeId"/> (a deleted user). Tallies and the fitted strength keep
    /// the judgments as anonymous aggregates. Returns whether anything was removed.
    /// </summary>
    [Alias("RemoveJudgeAsync")]
    Task<bool> RemoveJudgeAsync(string judgeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a batch of judgments in memory (idempotent by <see cref="ItemJudgment.JudgmentId"/>), refits the item once
    /// for the batch, and writes the item behind (every few hundred judgments, on a timer, and on deactivation).
    /// </summary>
    [Alias("ApplyJudgmentsAsync")]
    Task ApplyJudgmentsAsync(ItemJudgmentBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The statistics when the item's <see cref="ItemStats.Version"/> differs from <paramref name="version"/>; null when it does not (per-silo caches).</summary>
    [Alias("GetStatsIfChangedAsync"), ReadOnly]
    Task<ItemStats?> GetStatsIfChangedAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>Writes judgments applied in memory now (rebuild, tests); a no-op when nothing is unwritten.</summary>
    [Alias("WriteAsync")]
    Task WriteAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every judgment (statistics, tallies, judges, id window) and stores the empty item; the start of a rebuild from the feedback logs.</summary>
    [Alias("ResetAsync")]
    Task ResetAsync(CancellationToken cancellationToken = default);
}

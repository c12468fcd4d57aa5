using Orleans.Concurrency;

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One prototype of a tenant (key <see cref="GrainKeys.Prototype"/>, "{tenant}/{index}"): member count, running sums of
/// member schemes (centroid, spread), and a bounded reservoir of member snapshots for neighbour search and re-clustering.
/// O(1) in its members: membership lives on the users, who send <see cref="MembershipReport"/>s (deltas) on join, leave,
/// and when their scheme moved enough — never awaited by a feedback's acknowledgment.
/// The read methods are <see cref="ReadOnlyAttribute"/>.
/// </summary>
[Alias("PGenRM.IPrototypeGrain")]
public interface IPrototypeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a report to the running sums and the reservoir; completes once that is durable. False when a report with
    /// the same id was applied before (among the last reports the prototype remembers): nothing changes.
    /// </summary>
    [Alias("ApplyAsync")]
    Task<bool> ApplyAsync(MembershipReport report, CancellationToken cancellationToken = default);

    /// <summary>Count, centroid, spread, version and the churn counters.</summary>
    [Alias("GetSummaryAsync"), ReadOnly]
    Task<PrototypeSummary> GetSummaryAsync(CancellationToken cancellationToken = default);

    /// <summary>The reservoir (readers cache it by version).</summary>
    [Alias("GetReservoirAsync"), ReadOnly]
    Task<PrototypeReservoir> GetReservoirAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every member statistic (counts, sums, reservoir) of this prototype; the start of a rebuild from the feedback logs.</summary>
    [Alias("ResetAsync")]
    Task ResetAsync(CancellationToken cancellationToken = default);
}

using Orleans.Concurrency;

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One prototype of a tenant (key <see cref="GrainKeys.Prototype"/>, "{tenant}/{index}"): member count, running sums of
/// member schemes (centroid, spread), and a bounded reservoir of member snapshots for neighbour search and re-clustering.
/// Members report on join, leave, and when their scheme moved enough (not on every feedback), so it is not a hot spot.
/// The read methods are <see cref="ReadOnlyAttribute"/>: concurrent readers (scoring) interleave with each other.
/// </summary>
[Alias("PGenRM.IPrototypeGrain")]
public interface IPrototypeGrain : IGrainWithStringKey
{
    /// <summary>Adds the member or replaces its earlier snapshot (running sums move by the difference). Idempotent by <see cref="MemberSnapshot.Sequence"/>.</summary>
    [Alias("UpsertMemberAsync")]
    Task<PrototypeSummary> UpsertMemberAsync(MemberSnapshot member, CancellationToken cancellationToken = default);

    /// <summary>Removes the member (no-op if it is not one).</summary>
    [Alias("RemoveMemberAsync")]
    Task<PrototypeSummary> RemoveMemberAsync(string userKey, CancellationToken cancellationToken = default);

    /// <summary>Whether the user is a member.</summary>
    [Alias("IsMemberAsync"), ReadOnly]
    Task<bool> IsMemberAsync(string userKey, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="n"/> members whose keys are most similar to <paramref name="key"/>, never <paramref name="excludeUserKey"/>; fewer if the reservoir is smaller.</summary>
    [Alias("NearestAsync"), ReadOnly]
    Task<IReadOnlyList<MemberSnapshot>> NearestAsync(float[] key, string excludeUserKey, int n, CancellationToken cancellationToken = default);

    /// <summary>Count, centroid, spread and version.</summary>
    [Alias("GetSummaryAsync"), ReadOnly]
    Task<PrototypeSummary> GetSummaryAsync(CancellationToken cancellationToken = default);

    /// <summary>The reservoir (readers cache it by version).</summary>
    [Alias("GetReservoirAsync"), ReadOnly]
    Task<PrototypeReservoir> GetReservoirAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every member statistic (counts, sums, reservoir) of this prototype; the start of a rebuild from the feedback logs.</summary>
    [Alias("ResetAsync")]
    Task ResetAsync(CancellationToken cancellationToken = default);
}

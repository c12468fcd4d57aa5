using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>A prototype report in a user's outbox (<see cref="UserState.Outbox"/>): the change, not yet confirmed.</summary>
/// <remarks>Persisted: never renumber ids or rename the alias. The scheme change is stored as float32 bytes (the
/// Orleans serializer spends a tag byte per array element otherwise).</remarks>
[GenerateSerializer, Alias("PGenRM.PendingReport")]
public sealed class PendingReport
{
    /// <summary>The report id (<see cref="MembershipReport.Id"/>).</summary>
    [Id(0)] public long Id { get; set; }

    /// <summary>The prototype index it goes to.</summary>
    [Id(1)] public int Prototype { get; set; }

    /// <summary>+1 join, −1 leave, 0 update.</summary>
    [Id(2)] public int CountDelta { get; set; }

    /// <summary>The scheme change as little-endian float32 bytes.</summary>
    [Id(3)] public byte[] SchemeDelta { get; set; } = [];

    /// <summary>The change of ‖θ‖².</summary>
    [Id(4)] public double SquaredNormDelta { get; set; }

    /// <summary>The change of the pairs.</summary>
    [Id(5)] public int PairsDelta { get; set; }

    /// <summary>The report's sequence (the reservoir keeps the newest snapshot of a member).</summary>
    [Id(6)] public long Sequence { get; set; }

    /// <summary>The report as the prototype receives it; <paramref name="snapshot"/> is the member now (null for a leave).</summary>
    public MembershipReport ToReport(string userKey, MemberSnapshot? snapshot) =>
        new(Id, userKey, CountDelta, FloatBytes.Unpack(SchemeDelta), SquaredNormDelta, PairsDelta, CountDelta < 0 ? null : snapshot);
}

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One change of a user's contribution to a prototype's running sums: a join (count +1, the new scheme), an update
/// (count 0, new − old) or a leave (count −1, minus the old scheme). The prototype keeps no member list, so the user
/// sends the difference it computed from the contribution it reported last (docs/STORAGE.md, "Prototypes").
/// </summary>
/// <param name="Id">Unique report id (never 0): a prototype applies a report once, a retry with the same id is ignored.</param>
/// <param name="UserKey">The member's grain key "{tenant}/{user}".</param>
/// <param name="CountDelta">+1 join, −1 leave, 0 update.</param>
/// <param name="SchemeDelta">Change of the member's scheme θ = [w; p] (length d + F).</param>
/// <param name="SquaredNormDelta">Change of ‖θ‖² (for the spread).</param>
/// <param name="PairsDelta">Change of the pairs behind the scheme.</param>
/// <param name="Snapshot">The member as the reservoir samples it after the change; null for a leave (its entry is dropped).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.MembershipReport")]
public sealed record MembershipReport(
    [property: Id(0)] long Id,
    [property: Id(1)] string UserKey,
    [property: Id(2)] int CountDelta,
    [property: Id(3)] float[] SchemeDelta,
    [property: Id(4)] double SquaredNormDelta,
    [property: Id(5)] int PairsDelta,
    [property: Id(6)] MemberSnapshot? Snapshot);

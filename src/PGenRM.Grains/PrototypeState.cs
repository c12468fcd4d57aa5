namespace PGenRM.Grains;

/// <summary>
/// What a prototype grain stores (storage "prototypes", state "prototype"): <see cref="Packed"/>, the fixed-size layout of
/// <see cref="PrototypeMembers"/> (count, running sums, churn counters, the recent report ids and the reservoir's
/// slots), so that a prototype's stored size does not depend on its member count (docs/STORAGE.md, "Prototypes").
/// </summary>
/// <remarks>
/// Serialized by Orleans: never renumber ids or rename the alias. Ids 0–3 held format 1 (a member list with each
/// member's scheme, the reservoir as a list, the join count and the version) and are retired: never reuse them. A
/// stored state whose <see cref="Format"/> is not <see cref="PrototypeMembers.Format"/> is refused
/// (<see cref="PrototypeMembers.Load"/>).
/// </remarks>
[GenerateSerializer, Alias("PGenRM.PrototypeState")]
public sealed class PrototypeState
{
    /// <summary>Layout version of <see cref="Packed"/> (0 for a state stored before it existed).</summary>
    [Id(4)] public int Format { get; set; }

    /// <summary>The packed statistics (<see cref="PrototypeMembers.Pack"/>).</summary>
    [Id(5)] public byte[] Packed { get; set; } = [];
}

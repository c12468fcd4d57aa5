namespace PGenRM.Grains.Tests;

/// <summary>
/// The prototype state's format-1 layout (ids 0–3 of <see cref="PrototypeState"/>, retired): a member list with each
/// member's scheme, the reservoir as a list, the join count and the version. Only to write a blob as that code stored it;
/// the type's own name is not on the wire (it is the expected type), so the bytes are the old ones.
/// </summary>
[GenerateSerializer, Alias("PGenRM.Tests.LegacyPrototypeState")]
public sealed class LegacyPrototypeState
{
    /// <summary>Members by user key.</summary>
    [Id(0)] public Dictionary<string, Member> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The reservoir (empty here).</summary>
    [Id(1)] public List<Member> Reservoir { get; set; } = [];

    /// <summary>Joins counted.</summary>
    [Id(2)] public long Joined { get; set; }

    /// <summary>Version.</summary>
    [Id(3)] public long Version { get; set; }

    /// <summary>A member as format 1 stored it.</summary>
    [GenerateSerializer, Alias("PGenRM.Tests.LegacyPrototypeState.Member")]
    public sealed class Member
    {
        /// <summary>Join sequence.</summary>
        [Id(0)] public long Sequence { get; set; }

        /// <summary>The scheme's float bytes.</summary>
        [Id(1)] public byte[] Scheme { get; set; } = [];

        /// <summary>Pairs judged.</summary>
        [Id(2)] public int PairCount { get; set; }
    }
}

using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>A reservoir entry: a <see cref="MemberSnapshot"/> with its vectors stored compactly.</summary>
/// <remarks>Persisted: never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.StoredSnapshot")]
public sealed class StoredSnapshot
{
    /// <summary>The member's user key.</summary>
    [Id(0)] public string UserKey { get; set; } = "";

    /// <summary>Scheme as little-endian float bytes.</summary>
    [Id(1)] public byte[] Scheme { get; set; } = [];

    /// <summary>Neighbour key (judgment sketch) as little-endian float bytes; empty before the member's first pair.</summary>
    [Id(2)] public byte[] Key { get; set; } = [];

    /// <summary>Pairs behind the scheme.</summary>
    [Id(3)] public int PairCount { get; set; }

    /// <summary>The snapshot's sequence.</summary>
    [Id(4)] public long Sequence { get; set; }

    /// <summary>Stores a snapshot.</summary>
    public static StoredSnapshot From(MemberSnapshot m) => new()
    {
        UserKey = m.UserKey,
        Scheme = FloatBytes.Pack(m.Scheme),
        Key = FloatBytes.Pack(m.Key),
        PairCount = m.PairCount,
        Sequence = m.Sequence,
    };

    /// <summary>The snapshot as the contract carries it.</summary>
    public MemberSnapshot ToSnapshot() => new(UserKey, FloatBytes.Unpack(Scheme), FloatBytes.Unpack(Key), PairCount, Sequence);
}

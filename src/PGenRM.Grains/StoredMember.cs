namespace PGenRM.Grains;

/// <summary>A prototype member's last contribution to the running sums.</summary>
/// <remarks>Persisted: never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.StoredMember")]
public sealed class StoredMember
{
    /// <summary>The member's last applied snapshot sequence (older or repeated snapshots are ignored).</summary>
    [Id(0)] public long Sequence { get; set; }

    /// <summary>The scheme as little-endian float bytes (base64 in the stored JSON: a third of the size of a number list).</summary>
    [Id(1)] public byte[] Scheme { get; set; } = [];

    /// <summary>Pairs behind the scheme.</summary>
    [Id(2)] public int PairCount { get; set; }
}

namespace PGenRM.Grains;

/// <summary>
/// What a prototype grain stores (storage "prototypes", state "prototype"): the member set with each member's last
/// contributed scheme (so a replacement or removal moves the running sums by exactly new − old, idempotently), the
/// running sums, and the bounded reservoir of full snapshots for neighbour search and re-clustering.
/// </summary>
/// <remarks>Persisted (JSON with type names) and serialized by Orleans: never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.PrototypeState")]
public sealed class PrototypeState
{
    /// <summary>Members by user key.</summary>
    [Id(0)] public Dictionary<string, StoredMember> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reservoir of member snapshots (at most <see cref="PrototypeGrain.ReservoirCapacity"/>).</summary>
    [Id(1)] public List<StoredSnapshot> Reservoir { get; set; } = [];

    /// <summary>Members that ever joined (Algorithm R's stream length).</summary>
    [Id(2)] public long Joined { get; set; }

    /// <summary>Reservoir version (bumped whenever a member's snapshot changes).</summary>
    [Id(3)] public long Version { get; set; }
}

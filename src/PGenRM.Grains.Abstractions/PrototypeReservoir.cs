namespace PGenRM.Grains.Abstractions;

/// <summary>A prototype's bounded sample of member snapshots, with the version readers cache it by.</summary>
/// <param name="Version">Matches <see cref="PrototypeSummary.Version"/>.</param>
/// <param name="Members">Up to the reservoir capacity of member snapshots.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeReservoir")]
public sealed record PrototypeReservoir(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<MemberSnapshot> Members);

namespace PGenRM.Grains.Abstractions;

/// <summary>How often judges of one prototype chose and rejected an item.</summary>
/// <param name="Prototype">The judges' prototype, or null for judges not yet clustered.</param>
/// <param name="Wins">Times chosen.</param>
/// <param name="Losses">Times rejected.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeTally")]
public sealed record PrototypeTally(
    [property: Id(0)] int? Prototype,
    [property: Id(1)] long Wins,
    [property: Id(2)] long Losses);

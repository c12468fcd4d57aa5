namespace PGenRM.Grains.Abstractions;

/// <summary>A prototype's statistics.</summary>
/// <param name="Index">Prototype index within the tenant.</param>
/// <param name="Members">Current member count.</param>
/// <param name="Centroid">Running mean of the members' schemes (the directory's centroid until the first member reports).</param>
/// <param name="Spread">Root mean squared distance of member schemes from <paramref name="Centroid"/>.</param>
/// <param name="MeanPairCount">Mean pairs per member.</param>
/// <param name="Version">Reservoir version: changes whenever a member's snapshot changes (for readers' caches).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeSummary")]
public sealed record PrototypeSummary(
    [property: Id(0)] int Index,
    [property: Id(1)] long Members,
    [property: Id(2)] float[] Centroid,
    [property: Id(3)] double Spread,
    [property: Id(4)] double MeanPairCount,
    [property: Id(5)] long Version);

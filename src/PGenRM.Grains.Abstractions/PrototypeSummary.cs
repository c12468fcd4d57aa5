namespace PGenRM.Grains.Abstractions;

/// <summary>A prototype's statistics.</summary>
/// <param name="Index">Prototype index within the tenant.</param>
/// <param name="Members">Current member count.</param>
/// <param name="Centroid">Running mean of the members' schemes (the directory's centroid until the first member reports).</param>
/// <param name="Spread">Root mean squared distance of member schemes from <paramref name="Centroid"/>.</param>
/// <param name="MeanPairCount">Mean pairs per member.</param>
/// <param name="Version">Reservoir version: changes whenever a member's snapshot changes (for readers' caches).</param>
/// <param name="Joins">Members that joined since the prototype was created or reset (a re-clustering trigger).</param>
/// <param name="Leaves">Members that left (moved away or were deleted) since then.</param>
/// <param name="Reports">Reports applied since then (the feedback volume the prototype saw).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.PrototypeSummary")]
public sealed record PrototypeSummary(
    [property: Id(0)] int Index,
    [property: Id(1)] long Members,
    [property: Id(2)] float[] Centroid,
    [property: Id(3)] double Spread,
    [property: Id(4)] double MeanPairCount,
    [property: Id(5)] long Version,
    [property: Id(6)] long Joins = 0,
    [property: Id(7)] long Leaves = 0,
    [property: Id(8)] long Reports = 0);

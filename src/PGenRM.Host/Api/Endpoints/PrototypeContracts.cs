namespace PGenRM.Host.Api.Endpoints;

/// <summary>GET prototypes: the centroids' version and each prototype's summary.</summary>
internal sealed record PrototypesResponse(long CentroidVersion, IReadOnlyList<PrototypeView> Prototypes);

/// <summary>One prototype: its index, member count, spread, mean pairs per member and state version.</summary>
internal sealed record PrototypeView(int Index, long Members, double Spread, double MeanPairCount, long Version);

/// <summary>GET prototypes/map, POST prototypes/recluster: the centroids on their first two principal components.</summary>
internal sealed record PrototypeMapResponse(long CentroidVersion, double[] ExplainedVariance, IReadOnlyList<PrototypePoint> Points);

/// <summary>One centroid on the map, with its member count at the last clustering.</summary>
internal sealed record PrototypePoint(int Index, double X, double Y, long Size);

namespace PGenRM.Grains.Tests;

/// <summary>Tests sharing one <see cref="ClusterFixture"/> (one cluster and one Azurite for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(ClusterCollection);
}

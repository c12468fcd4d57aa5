namespace PGenRM.Grains.Tests;

/// <summary>A cluster of its own for tests that stop or restart silos, so that other tests never see a silo go away.</summary>
public sealed class SiloRestartFixture : ClusterFixture;

/// <summary>Tests that restart silos, on their own <see cref="SiloRestartFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SiloRestartCollection : ICollectionFixture<SiloRestartFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(SiloRestartCollection);
}

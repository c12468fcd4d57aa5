using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PGenRM.Grains.Derived;

namespace PGenRM.Grains.Tests;

/// <summary>
/// A cluster of its own for tests that stop or restart silos, so that other tests never see a silo go away. Its
/// derived-statistics pipelines flush only when asked (<see cref="ClusterFixture.FlushDerivedAsync"/>) or when their silo
/// stops, so that a test can stop a silo with judgments still queued.
/// </summary>
public sealed class SiloRestartFixture : ClusterFixture
{
    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.Replace(ServiceDescriptor.Singleton(new DerivedStatsOptions { FlushInterval = TimeSpan.FromHours(1), FlushJudgments = 65_536 }));
}

/// <summary>Tests that restart silos, on their own <see cref="SiloRestartFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SiloRestartCollection : ICollectionFixture<SiloRestartFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = nameof(SiloRestartCollection);
}

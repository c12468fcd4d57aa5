using Microsoft.Extensions.DependencyInjection;

namespace PGenRM.Grains.Tests;

/// <summary>
/// A cluster whose silos count the calls reaching tenant grains (<see cref="TenantCallCounter"/>) and keep a cached tenant
/// for ten minutes, so that no cache expiry during a slow test run is mistaken for a call per request.
/// </summary>
public sealed class TenantCallFixture : ClusterFixture
{
    /// <summary>The calls to tenant grain <paramref name="tenantKey"/> recorded on all silos.</summary>
    public IReadOnlyList<string> CallsTo(string tenantKey) =>
        [.. Cluster.Silos.SelectMany(s => s.ServiceProvider.GetRequiredService<TenantCallCounter>().CallsTo(tenantKey))];

    /// <summary>Forgets the calls recorded on all silos.</summary>
    public void ClearCalls()
    {
        foreach (var silo in Cluster.Silos)
        {
            silo.ServiceProvider.GetRequiredService<TenantCallCounter>().Clear();
        }
    }

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<TenantCallCounter>();
        silo.Services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<TenantCallCounter>());
        silo.Services.AddSingleton(sp => new TenantCache(sp.GetRequiredService<IGrainFactory>()) { TimeToLive = TimeSpan.FromMinutes(10) });
    }
}

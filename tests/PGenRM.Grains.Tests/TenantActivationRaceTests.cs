using Microsoft.Extensions.DependencyInjection;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// Many first calls at once for a tenant that does not exist, or was just created: every one gets its answer (null or
/// not found before creation, the tenant after it), none fails because the tenant grain's activation went away under it.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class TenantActivationRaceTests(ClusterFixture fixture)
{
    private const int Callers = 64;

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ConcurrentFirstCalls_ForAMissingTenant_AllAnswerNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = "none-" + Guid.NewGuid().ToString("N")[..10];
        var grain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));

        // Three waves: the later ones arrive while the first wave's activation would be going away.
        for (int wave = 0; wave < 3; wave++)
        {
            var reads = Enumerable.Range(0, Callers).Select(_ => grain.GetAsync(ct)).ToList();
            var directories = Enumerable.Range(0, Callers).Select(async _ =>
                await Assert.ThrowsAsync<KeyNotFoundException>(() => grain.GetDirectoryAsync(ct))).ToList();
            Assert.All(await Task.WhenAll(reads), Assert.Null);
            Assert.All(await Task.WhenAll(directories), e => Assert.Equal($"Tenant '{tenant}' does not exist.", e.Message));
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ConcurrentFirstCalls_AroundCreation_AnswerNullBeforeAndTheTenantAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = "race-" + Guid.NewGuid().ToString("N")[..10];
        var grain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        string hash = new('a', 64);
        var caches = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<TenantCache>()).ToList();

        // Grain-side readers on every silo cache the miss (user grains read the directory this way).
        foreach (var cache in caches)
        {
            Assert.Null(await cache.GetAsync(tenant, ct));
        }

        // Reads racing the creation: each is either "absent" or the created tenant, never an error.
        var before = Enumerable.Range(0, Callers).Select(_ => grain.GetAsync(ct)).ToList();
        var create = grain.CreateAsync(new TenantSettings(), hash, ct);
        var during = Enumerable.Range(0, Callers).Select(_ => grain.GetAsync(ct)).ToList();
        var created = await create;
        var answers = await Task.WhenAll(before.Concat(during));
        Assert.All(answers, info => Assert.True(info is null || info.Tenant == tenant));

        // After the creation acknowledged: every first call, on every silo, sees the tenant.
        var after = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => grain.GetAsync(ct)));
        Assert.All(after, info => Assert.Equal((tenant, created.CreatedAt), (info!.Tenant, info.CreatedAt)));
        var workers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => grain.GetDirectoryAsync(ct)));
        Assert.All(workers, d => Assert.Equal(0, d.Version));

        // A reader that needs the tenant (the scoring worker) does not wait for the cached miss to expire.
        foreach (var cache in caches)
        {
            Assert.Equal(created.CreatedAt, (await cache.RequireAsync(tenant, ct)).CreatedAt);
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The silo's tenant cache: served within its time to live, re-read after it, bounded, misses cached on request.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class TenantCacheTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Get_ServesWithinTheTimeToLive_RereadsAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(MaxBatch: 10), ct);
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var cache = new TenantCache(fixture.Client, clock);

        Assert.Equal(10, (await cache.GetAsync(tenant, ct))!.Settings.MaxBatch);
        var grain = fixture.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        await grain.UpdateSettingsAsync((await grain.GetAsync(ct))!.Settings with { MaxBatch = 20 }, ct);

        // Within the time to live: the cached settings (one hit); after it: the new ones.
        Assert.Equal(10, (await cache.GetAsync(tenant, ct))!.Settings.MaxBatch);
        clock.Advance(cache.TimeToLive + TimeSpan.FromSeconds(1));
        Assert.Equal(20, (await cache.GetAsync(tenant, ct))!.Settings.MaxBatch);
        Assert.Equal((1L, 2L), (cache.Counts.Hits, cache.Counts.Misses));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Get_AMissingTenant_IsCachedOnlyWhenAsked_AndTheCacheStaysBounded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cache = new TenantCache(fixture.Client) { MaxEntries = 4 };
        string missing = "none-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Null(await cache.GetAsync(missing, ct, cacheMissing: false));
        Assert.Equal(0, cache.Count);
        Assert.Null(await cache.GetAsync(missing, ct));
        Assert.Equal(1, cache.Count);

        for (int i = 0; i < 12; i++)
        {
            await cache.GetAsync($"{missing}-{i}", ct);
            Assert.InRange(cache.Count, 1, 4);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The scoring worker's reservoir cache: served within its time to live, re-read only when the version changed.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class PrototypeReservoirCacheTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task Expired_KeepsTheMembersWhileTheVersionIsUnchanged_AndRereadsAfterAChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var evaluator = await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(ct);
        int dimension = evaluator.SchemeDimension;
        string tenant = "c-" + Guid.NewGuid().ToString("N")[..10];
        var prototype = fixture.Client.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, 0));
        MembershipReport Member(string user, long id)
        {
            var scheme = Enumerable.Repeat(0.1f * id, dimension).ToArray();
            return new(id, GrainKeys.User(tenant, user), 1, scheme, scheme.Sum(x => (double)x * x), 1, new MemberSnapshot(GrainKeys.User(tenant, user), scheme, [], 1, id));
        }

        await prototype.ApplyAsync(Member("a", 1), ct);

        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = new PrototypeReservoirCache(fixture.Client, clock);
        var first = await cache.GetAsync(tenant, 0, ct);
        Assert.Equal([GrainKeys.User(tenant, "a")], first.Select(m => m.UserKey));

        // Past the time to live with nothing changed: the same converted list, not a new read of the reservoir.
        clock.Advance(cache.TimeToLive + TimeSpan.FromSeconds(1));
        Assert.Same(first, await cache.GetAsync(tenant, 0, ct));

        // A change within the time to live is not seen yet; after it, the new reservoir is.
        await prototype.ApplyAsync(Member("b", 2), ct);
        Assert.Same(first, await cache.GetAsync(tenant, 0, ct));
        clock.Advance(cache.TimeToLive + TimeSpan.FromSeconds(1));
        var changed = await cache.GetAsync(tenant, 0, ct);
        Assert.NotSame(first, changed);
        Assert.Equal(new[] { "a", "b" }.Select(u => GrainKeys.User(tenant, u)).Order(), changed.Select(m => m.UserKey).Order());
    }
}

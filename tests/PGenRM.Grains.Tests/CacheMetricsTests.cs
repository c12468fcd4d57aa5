using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The caches' hits, misses, evictions and entries, read as OpenTelemetry metrics through a <see cref="MeterListener"/>.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class CacheMetricsTests(ClusterFixture fixture)
{
    private static readonly string[] Instruments = ["pgenrm.cache.hits", "pgenrm.cache.misses", "pgenrm.cache.evictions", "pgenrm.cache.entries"];

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task TenantCache_HitsMissesEvictionsAndEntries_ArePublished()
    {
        var ct = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), ct);
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var cache = new TenantCache(fixture.Client, clock);
        string name = "tenant-" + Guid.NewGuid().ToString("N")[..8];
        using var metrics = new CacheMetrics([new CacheSource(name, () => cache.Counts)]);

        await cache.GetAsync(tenant, ct); // miss
        await cache.GetAsync(tenant, ct); // hit
        clock.Advance(cache.TimeToLive + TimeSpan.FromSeconds(1));
        await cache.GetAsync(tenant, ct); // expired: an eviction, and a miss
        await cache.GetAsync("none-" + Guid.NewGuid().ToString("N")[..8], ct); // a miss, cached too

        // The eviction is counted by the cache's post-eviction callback, which runs on the thread pool.
        Assert.True(SpinWait.SpinUntil(() => cache.Counts.Evictions == 1, TimeSpan.FromSeconds(30)), $"evictions: {cache.Counts.Evictions}");
        var read = Collect(name);
        Assert.Equal(
            new Dictionary<string, long> { ["pgenrm.cache.hits"] = 1, ["pgenrm.cache.misses"] = 3, ["pgenrm.cache.evictions"] = 1, ["pgenrm.cache.entries"] = 2 },
            read);
    }

    [Fact]
    public void Silo_PublishesEveryGrainCache()
    {
        // The silo's own instance (created with the silo's services): one series per cache on each instrument.
        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        _ = silo.GetRequiredService<CacheMetrics>();
        var names = new HashSet<(string Instrument, string Cache)>();
        using var listener = Listener((instrument, _, cache) => names.Add((instrument, cache)));
        listener.RecordObservableInstruments();
        foreach (string cache in new[] { "tenant", "prototype_reservoir", "population", "item_stats" })
        {
            Assert.All(Instruments, i => Assert.Contains((i, cache), names));
        }
    }

    /// <summary>The last value of each instrument for the cache tagged <paramref name="cache"/>.</summary>
    private static Dictionary<string, long> Collect(string cache)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = Listener((instrument, value, tag) =>
        {
            if (tag == cache)
            {
                values[instrument] = value;
            }
        });
        listener.RecordObservableInstruments();
        return values;
    }

    private static MeterListener Listener(Action<string, long, string> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CacheMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cache" && tag.Value is string name)
                {
                    measured(instrument.Name, value, name);
                }
            }
        });
        listener.Start();
        return listener;
    }
}

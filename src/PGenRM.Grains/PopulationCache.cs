using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using System.Numerics.Tensors;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of each tenant's population scheme: Σθ / count over all its prototypes' running sums
/// (<see cref="Of"/>), the prior of a user with no data from the tenant's first feedback on. Read from the prototypes'
/// summaries at most once per <see cref="TimeToLive"/> per tenant and silo, never from the tenant grain. Held in a
/// <see cref="MemoryCache"/> of at most <see cref="MaxEntries"/> tenants (least recently used out first when it compacts),
/// with hit, miss and eviction counts (<see cref="Counts"/>, published by <see cref="CacheMetrics"/>).
/// </summary>
public sealed class PopulationCache : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly Lazy<MemoryCache> _entries;
    private readonly CacheEvictions _evictions = new();
    private readonly ConcurrentDictionary<(string Tenant, int Slots), Lazy<Task<float[]?>>> _reading = new();

    /// <summary>Creates the cache over the tenants' prototype grains; <paramref name="time"/> drives the expiry (tests pass a fake clock).</summary>
    public PopulationCache(IGrainFactory grains, TimeProvider? time = null)
    {
        _grains = grains;
        _time = time ?? TimeProvider.System;
        // Created on first use: MaxEntries is an init property, set after the constructor.
        _entries = new Lazy<MemoryCache>(() => BoundedMemoryCache.Create(MaxEntries, _time));
    }

    /// <summary>How long a population scheme is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most tenants held (past it, a tenant is read on every use until compaction makes room).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Hits, misses, evictions and entries (published by <see cref="CacheMetrics"/>).</summary>
    public CacheCounts Counts => CacheCounts.Of(_entries.Value, _evictions);

    /// <summary>The population scheme of <paramref name="tenant"/> over the prototypes of <paramref name="directory"/>, or null while no member has reported.</summary>
    public async Task<float[]?> GetAsync(string tenant, PrototypeDirectory directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (_entries.Value.TryGetValue(tenant, out float[]? cached) && cached is not null)
        {
            return cached;
        }

        // Concurrent misses share the read in flight: a burst of new users in a fresh tenant (whose answer is not cached
        // while it has no member) costs one read of the summaries, not one per user. A caller's cancellation ends its
        // own wait only.
        var read = _reading.GetOrAdd((tenant, directory.EffectiveSlots), static (key, self) => new Lazy<Task<float[]?>>(() => self.ReadAsync(key)), this);
        return await read.Value.WaitAsync(cancellationToken);
    }

    private async Task<float[]?> ReadAsync((string Tenant, int Slots) key)
    {
        try
        {
            var summaries = await Task.WhenAll(Enumerable.Range(0, key.Slots).Select(i =>
                _grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(key.Tenant, i)).GetSummaryAsync(CancellationToken.None)));
            var population = Of(summaries);

            // Not cached while no member reported: the tenant's first feedback then reaches the next new user at once.
            if (population is not null)
            {
                var options = _evictions.Options();
                options.AbsoluteExpirationRelativeToNow = TimeToLive;
                _entries.Value.Set(key.Tenant, population, options);
            }

            return population;
        }
        finally
        {
            // Later misses read again (a read that ended, with an answer or an error, is not reused).
            _reading.TryRemove(key, out _);
        }
    }

    /// <summary>Drops the cached entry.</summary>
    public void Invalidate(string tenant) => _entries.Value.Remove(tenant);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_entries.IsValueCreated)
        {
            _entries.Value.Dispose();
        }
    }

    /// <summary>The count-weighted mean of the prototypes' centroids, i.e. Σθ / count over all members; null when there is none or it is zero.</summary>
    public static float[]? Of(IReadOnlyList<PrototypeSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        long count = summaries.Where(s => s.Members > 0).Sum(s => s.Members);
        if (count == 0)
        {
            return null;
        }

        int dimension = summaries.First(s => s.Members > 0).Centroid.Length;
        var sum = new double[dimension];
        foreach (var summary in summaries.Where(s => s.Members > 0 && s.Centroid.Length == dimension))
        {
            for (int i = 0; i < dimension; i++)
            {
                sum[i] += summary.Members * (double)summary.Centroid[i];
            }
        }

        var population = Array.ConvertAll(sum, x => (float)(x / count));
        return TensorPrimitives.Norm(population) > 0 ? population : null;
    }
}

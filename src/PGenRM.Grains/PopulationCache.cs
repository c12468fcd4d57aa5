using System.Collections.Concurrent;
using System.Numerics.Tensors;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of each tenant's population scheme: Σθ / count over all its prototypes' running sums
/// (<see cref="Of"/>), the prior of a user with no data from the tenant's first feedback on. Read from the prototypes'
/// summaries at most once per <see cref="TimeToLive"/> per tenant and silo, never from the tenant grain.
/// </summary>
public sealed class PopulationCache(IGrainFactory grains, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, (float[]? Population, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long a population scheme is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most tenants held (past it, expired entries are dropped first, then any).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>The population scheme of <paramref name="tenant"/> over the prototypes of <paramref name="directory"/>, or null while no member has reported.</summary>
    public async Task<float[]?> GetAsync(string tenant, PrototypeDirectory directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(tenant, out var entry) && entry.Expires > now)
        {
            return entry.Population;
        }

        var summaries = await Task.WhenAll(Enumerable.Range(0, directory.EffectiveSlots).Select(i =>
            grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, i)).GetSummaryAsync(cancellationToken)));
        var population = Of(summaries);
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (name, cached) in _entries)
            {
                if (cached.Expires <= now || _entries.Count >= MaxEntries)
                {
                    _entries.TryRemove(name, out _);
                }
            }
        }

        // Not cached while no member reported: the tenant's first feedback then reaches the next new user at once.
        if (population is not null)
        {
            _entries[tenant] = (population, now + TimeToLive);
        }

        return population;
    }

    /// <summary>Drops the cached entry.</summary>
    public void Invalidate(string tenant) => _entries.TryRemove(tenant, out _);

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

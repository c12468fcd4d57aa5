using Microsoft.Extensions.Caching.Memory;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of prototype reservoirs for the scoring worker, so that scoring does not call the prototype grain on
/// every request (it would be the prototype's hot spot). An entry is served for <see cref="TimeToLive"/>; after that the
/// prototype's version is checked (a summary call) and the reservoir is read again only when it changed. Bounded: a
/// <see cref="MemoryCache"/> of at most <see cref="MaxEntries"/> prototypes (a reservoir is up to 256 snapshots, about
/// 0.5 MB), least recently used first out; the time to live lives in the entry, so an expired one still serves the
/// version check.
/// </summary>
public sealed class PrototypeReservoirCache(IGrainFactory grains, TimeProvider? time = null) : IDisposable
{
    /// <summary>Most prototypes held per silo.</summary>
    public const int MaxEntries = 2_048;

    private readonly MemoryCache _entries = BoundedMemoryCache.Create(MaxEntries);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CacheEvictions _evictions = new();

    /// <summary>How long a reservoir is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Hits, misses, evictions and entries (published by <see cref="CacheMetrics"/>).</summary>
    public CacheCounts Counts => CacheCounts.Of(_entries, _evictions);

    /// <summary>The members of prototype <paramref name="prototype"/> of <paramref name="tenant"/> (schemes as doubles).</summary>
    public async Task<IReadOnlyList<PoolMember>> GetAsync(string tenant, int prototype, CancellationToken cancellationToken = default)
    {
        string key = GrainKeys.Prototype(tenant, prototype);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key, out Entry? entry) && entry!.Expires > now)
        {
            return entry.Members;
        }

        var prototypeGrain = grains.GetGrain<IPrototypeGrain>(key);
        if (entry is not null && (await prototypeGrain.GetSummaryAsync(cancellationToken)).Version == entry.Version)
        {
            // Unchanged since the last read: the summary is a few hundred bytes, the reservoir up to 256 snapshots.
            Store(key, entry with { Expires = now + TimeToLive });
            return entry.Members;
        }

        var reservoir = await prototypeGrain.GetReservoirAsync(cancellationToken);
        long version = reservoir.Version;
        IReadOnlyList<PoolMember> members = reservoir.Members
            .Select(m => new PoolMember(m.UserKey, Array.ConvertAll(m.Scheme, x => (double)x), m.Sketch))
            .ToList();
        Store(key, new Entry(version, members, now + TimeToLive));
        return members;
    }

    /// <inheritdoc />
    public void Dispose() => _entries.Dispose();

    private void Store(string key, Entry entry) => _entries.Set(key, entry, _evictions.Options());

    /// <summary>A reservoir member as the prototype level uses it.</summary>
    /// <param name="UserKey">The member's grain key.</param>
    /// <param name="Scheme">Its scheme θ.</param>
    /// <param name="Sketch">Its judgment sketch.</param>
    public sealed record PoolMember(string UserKey, double[] Scheme, float[] Sketch);

    private sealed record Entry(long Version, IReadOnlyList<PoolMember> Members, DateTimeOffset Expires);
}

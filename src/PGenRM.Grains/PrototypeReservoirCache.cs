using System.Collections.Concurrent;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Silo-wide cache of prototype reservoirs for the scoring worker, so that scoring does not call the prototype grain on
/// every request (it would be the prototype's hot spot). An entry is served for <see cref="TimeToLive"/>; after that the
/// prototype's version is checked (a summary call) and the reservoir is read again only when it changed.
/// </summary>
public sealed class PrototypeReservoirCache(IGrainFactory grains, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long a reservoir is served before it is read again.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The members of prototype <paramref name="prototype"/> of <paramref name="tenant"/> (schemes as doubles).</summary>
    public async Task<IReadOnlyList<PoolMember>> GetAsync(string tenant, int prototype, CancellationToken cancellationToken = default)
    {
        string key = GrainKeys.Prototype(tenant, prototype);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return entry.Members;
        }

        var prototypeGrain = grains.GetGrain<IPrototypeGrain>(key);
        if (entry is not null && (await prototypeGrain.GetSummaryAsync(cancellationToken)).Version == entry.Version)
        {
            // Unchanged since the last read: the summary is a few hundred bytes, the reservoir up to 256 snapshots.
            _entries[key] = entry with { Expires = now + TimeToLive };
            return entry.Members;
        }

        var reservoir = await prototypeGrain.GetReservoirAsync(cancellationToken);
        long version = reservoir.Version;
        IReadOnlyList<PoolMember> members = reservoir.Members
            .Select(m => new PoolMember(m.UserKey, Array.ConvertAll(m.Scheme, x => (double)x), m.Key))
            .ToList();
        _entries[key] = new Entry(version, members, now + TimeToLive);
        return members;
    }

    /// <summary>A reservoir member as the prototype level uses it.</summary>
    /// <param name="UserKey">The member's grain key.</param>
    /// <param name="Scheme">Its scheme θ.</param>
    /// <param name="Key">Its neighbour key.</param>
    public sealed record PoolMember(string UserKey, double[] Scheme, float[] Key);

    private sealed record Entry(long Version, IReadOnlyList<PoolMember> Members, DateTimeOffset Expires);
}

using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// A prototype's stored member set (<see cref="PrototypeState"/>) with what the activation derives from it (the running
/// sums and the reservoir's random source), and the two writes that change it. A write that meets an ETag conflict
/// re-reads, rebuilds the sums, and re-applies the change to the fresh member set unless that already holds it (the
/// member's sequence, or its absence for a removal), so another writer's members are never overwritten.
/// </summary>
/// <remarks>Not a grain, so that the conflict path can be tested on a fake state.</remarks>
internal sealed class PrototypeMembers
{
    private readonly IPersistentState<PrototypeState> _state;
    private readonly string _key;
    private double[] _sum = [];
    private double _sumSquares;
    private long _sumPairs;
    private Random _random = null!;

    /// <summary>Wraps the activation's <paramref name="state"/> (already read) of the prototype <paramref name="key"/>.</summary>
    public PrototypeMembers(IPersistentState<PrototypeState> state, string key)
    {
        _state = state;
        _key = key;
        Reload(state.State);
    }

    /// <summary>The state as stored (after the last successful write or re-read).</summary>
    public PrototypeState State => _state.State;

    /// <summary>
    /// Adds or replaces <paramref name="member"/> and stores it. False when the held snapshot of that member is as new
    /// or newer (nothing written). On failure the memory is ahead of storage: the caller must drop the activation.
    /// </summary>
    public async Task<bool> UpsertAsync(MemberSnapshot member, CancellationToken cancellationToken)
    {
        if (!Upsert(_state.State, member))
        {
            return false;
        }

        var write = await _state.WriteStateWithRetryAsync(fresh => Upsert(fresh, member), Reload, cancellationToken: cancellationToken);
        return write.Written;
    }

    /// <summary>
    /// Removes <paramref name="userKey"/> and stores that. False when it is not a member (nothing written). On failure the
    /// memory is ahead of storage: the caller must drop the activation.
    /// </summary>
    public async Task<bool> RemoveAsync(string userKey, CancellationToken cancellationToken)
    {
        if (!Remove(_state.State, userKey))
        {
            return false;
        }

        var write = await _state.WriteStateWithRetryAsync(fresh => Remove(fresh, userKey), Reload, cancellationToken: cancellationToken);
        return write.Written;
    }

    /// <summary>The summary of prototype <paramref name="index"/> from the running sums.</summary>
    public PrototypeSummary Summary(int index)
    {
        long count = _state.State.Members.Count;
        var centroid = new float[_sum.Length];
        double meanSquaredNorm = 0, centroidSquaredNorm = 0;
        if (count > 0)
        {
            for (int i = 0; i < centroid.Length; i++)
            {
                double mean = _sum[i] / count;
                centroid[i] = (float)mean;
                centroidSquaredNorm += mean * mean;
            }

            meanSquaredNorm = _sumSquares / count;
        }

        // E‖θ − μ‖² = E‖θ‖² − ‖μ‖²; clamped because cancellation can make it a hair negative.
        double spread = Math.Sqrt(Math.Max(0, meanSquaredNorm - centroidSquaredNorm));
        return new PrototypeSummary(index, count, centroid, spread, count > 0 ? (double)_sumPairs / count : 0, _state.State.Version);
    }

    /// <summary>Applies the snapshot to <paramref name="s"/> and the sums (memory only); false when it is stale there.</summary>
    private bool Upsert(PrototypeState s, MemberSnapshot member)
    {
        s.Members.TryGetValue(member.UserKey, out var existing);
        if (existing is not null && member.Sequence <= existing.Sequence)
        {
            return false;
        }

        if (existing is not null)
        {
            AddToSums(FloatBytes.Unpack(existing.Scheme), existing.PairCount, -1);
        }
        else
        {
            s.Joined++;
        }

        AddToSums(member.Scheme, member.PairCount, +1);
        s.Members[member.UserKey] = new StoredMember { Sequence = member.Sequence, Scheme = FloatBytes.Pack(member.Scheme), PairCount = member.PairCount };
        Sample(s, member, isNew: existing is null);
        s.Version++;
        return true;
    }

    /// <summary>Removes the member from <paramref name="s"/> and the sums (memory only); false when it is not there.</summary>
    private bool Remove(PrototypeState s, string userKey)
    {
        if (!s.Members.Remove(userKey, out var existing))
        {
            return false;
        }

        AddToSums(FloatBytes.Unpack(existing.Scheme), existing.PairCount, -1);
        if (s.Reservoir.RemoveAll(r => r.UserKey == userKey) > 0)
        {
            // The freed slot is refilled by the next member that reports (see Sample).
            s.Version++;
        }

        return true;
    }

    /// <summary>Recomputes the sums from <paramref name="s"/>'s members and re-seeds the reservoir's random source.</summary>
    private void Reload(PrototypeState s)
    {
        // Seeded by key and stream position: a replayed sequence of joins samples the same reservoir.
        _random = new Random(Core.Model.StableHash.Seed((int)s.Joined, _key));

        // The sums are recomputed exactly from the member set instead of being stored, so float drift never accumulates.
        (_sum, _sumSquares, _sumPairs) = ([], 0, 0);
        foreach (var member in s.Members.Values)
        {
            AddToSums(FloatBytes.Unpack(member.Scheme), member.PairCount, +1);
        }
    }

    /// <summary>
    /// Keeps the reservoir a uniform sample of the members (Algorithm R over joins): a member already sampled is
    /// replaced in place; a free slot (after a removal) takes whoever reports next; a new member enters a full
    /// reservoir with probability capacity / joined. Algorithm R rather than replace-oldest, so long-standing members
    /// stay represented in neighbour search and re-clustering instead of the sample tracking only recent joiners.
    /// </summary>
    private void Sample(PrototypeState s, MemberSnapshot member, bool isNew)
    {
        var reservoir = s.Reservoir;
        int at = reservoir.FindIndex(r => r.UserKey == member.UserKey);
        if (at >= 0)
        {
            reservoir[at] = StoredSnapshot.From(member);
        }
        else if (reservoir.Count < PrototypeGrain.ReservoirCapacity)
        {
            reservoir.Add(StoredSnapshot.From(member));
        }
        else if (isNew)
        {
            long slot = _random.NextInt64(s.Joined);
            if (slot < PrototypeGrain.ReservoirCapacity)
            {
                reservoir[(int)slot] = StoredSnapshot.From(member);
            }
        }
    }

    private void AddToSums(ReadOnlySpan<float> scheme, int pairs, int sign)
    {
        if (_sum.Length == 0)
        {
            _sum = new double[scheme.Length];
        }

        for (int i = 0; i < scheme.Length && i < _sum.Length; i++)
        {
            _sum[i] += sign * (double)scheme[i];
            _sumSquares += sign * (double)scheme[i] * scheme[i];
        }

        _sumPairs += sign * pairs;
    }
}

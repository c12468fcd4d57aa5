using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// One prototype of a tenant (key "{tenant}/{index}"). Keeps the member set (key → last sequence and contributed
/// scheme), running sums over it (count, Σθ, Σ‖θ‖², Σ pairs), and a bounded reservoir of full snapshots. Members call
/// it on join, move and leave, and otherwise only when their scheme moved enough, so it sees a fraction of the
/// tenant's feedback rate.
/// </summary>
/// <remarks>
/// The member set holds one scheme per member (d + F = 80 floats at the shipped feature space, stored as base64
/// bytes: about 0.5 KB per member) so that replacing or removing a member is exact and idempotent without trusting
/// the caller to send its previous contribution. The reservoir adds at most about 0.5 MB (256 schemes and 256-float
/// sketches). The stored state therefore grows with the members: a prototype of 10,000 members is a blob of about
/// 5.5 MB rewritten on each report. Past a few thousand members per prototype the member set should move to a table
/// of its own rows (one entity per member) with only the sums and the reservoir in the grain state.
/// </remarks>
public sealed partial class PrototypeGrain(
    [PersistentState("prototype", "prototypes")] IPersistentState<PrototypeState> state,
    EvaluatorHost evaluators,
    TenantCache tenants,
    ILogger<PrototypeGrain> logger) : Grain, IPrototypeGrain
{
    /// <summary>Reservoir capacity: the sample neighbour search and re-clustering see.</summary>
    public const int ReservoirCapacity = 256;

    /// <summary>Most neighbours one <see cref="NearestAsync"/> call may ask for.</summary>
    public const int MaxNeighbours = 1024;

    private double[] _sum = [];
    private double _sumSquares;
    private long _sumPairs;
    private Random _random = null!;
    private int _index;
    private string _tenant = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _index) = GrainKeys.ParsePrototype(this.GetPrimaryKeyString());

        // Seeded by key and stream position: a replayed sequence of joins samples the same reservoir.
        _random = new Random(Core.Model.StableHash.Seed((int)state.State.Joined, this.GetPrimaryKeyString()));

        // The sums are recomputed exactly from the member set instead of being stored, so float drift never accumulates.
        foreach (var member in state.State.Members.Values)
        {
            AddToSums(FloatBytes.Unpack(member.Scheme), member.PairCount, +1);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<PrototypeSummary> UpsertMemberAsync(MemberSnapshot member, CancellationToken cancellationToken = default)
    {
        await ValidateAsync(member, cancellationToken);
        var s = state.State;
        s.Members.TryGetValue(member.UserKey, out var existing);
        if (existing is not null && member.Sequence <= existing.Sequence)
        {
            LogStaleSnapshot(member.UserKey, member.Sequence, existing.Sequence, this.GetPrimaryKeyString());
            return Summary();
        }

        // Work on copies and swap in after the write: a failed write leaves memory as stored.
        var sumsBefore = ((double[])_sum.Clone(), _sumSquares, _sumPairs);
        var reservoirBefore = s.Reservoir.ToList();
        var (joinedBefore, versionBefore) = (s.Joined, s.Version);
        try
        {
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
            Sample(member, isNew: existing is null);
            s.Version++;
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            if (existing is null)
            {
                s.Members.Remove(member.UserKey);
            }
            else
            {
                s.Members[member.UserKey] = existing;
            }

            (_sum, _sumSquares, _sumPairs) = sumsBefore;
            s.Reservoir = reservoirBefore;
            (s.Joined, s.Version) = (joinedBefore, versionBefore);
            throw;
        }

        return Summary();
    }

    /// <inheritdoc />
    public async Task<PrototypeSummary> RemoveMemberAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userKey);
        var s = state.State;
        if (!s.Members.TryGetValue(userKey, out var existing))
        {
            return Summary();
        }

        var sumsBefore = ((double[])_sum.Clone(), _sumSquares, _sumPairs);
        var reservoirBefore = s.Reservoir.ToList();
        long versionBefore = s.Version;
        try
        {
            s.Members.Remove(userKey);
            AddToSums(FloatBytes.Unpack(existing.Scheme), existing.PairCount, -1);
            if (s.Reservoir.RemoveAll(r => r.UserKey == userKey) > 0)
            {
                // The freed slot is refilled by the next member that reports (see Sample).
                s.Version++;
            }

            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            s.Members[userKey] = existing;
            (_sum, _sumSquares, _sumPairs) = sumsBefore;
            s.Reservoir = reservoirBefore;
            s.Version = versionBefore;
            throw;
        }

        return Summary();
    }

    /// <inheritdoc />
    public Task<bool> IsMemberAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userKey);
        return Task.FromResult(state.State.Members.ContainsKey(userKey));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemberSnapshot>> NearestAsync(float[] key, string excludeUserKey, int n, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(excludeUserKey);
        if (n is < 0 or > MaxNeighbours)
        {
            throw new ArgumentException($"n must be 0–{MaxNeighbours}, got {n}.", nameof(n));
        }

        if (!AllFinite(key))
        {
            throw new ArgumentException("The neighbour key contains NaN or infinity.", nameof(key));
        }

        if (n == 0 || key.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<MemberSnapshot>>([]);
        }

        // Cosine on the judgment sketch; a member without a sketch is compared on its scheme when the caller passed a
        // scheme-length key, and otherwise counts as similarity 0 (no evidence either way).
        var ranked = new List<(double Similarity, MemberSnapshot Member)>(state.State.Reservoir.Count);
        foreach (var stored in state.State.Reservoir)
        {
            if (stored.UserKey == excludeUserKey)
            {
                continue;
            }

            var member = stored.ToSnapshot();
            var other = member.Key.Length == key.Length ? member.Key : member.Scheme.Length == key.Length ? member.Scheme : null;
            ranked.Add((other is null ? 0 : Cosine(key, other), member));
        }

        IReadOnlyList<MemberSnapshot> nearest = ranked
            .OrderByDescending(r => r.Similarity)
            .ThenBy(r => r.Member.UserKey, StringComparer.Ordinal)
            .Take(n)
            .Select(r => r.Member)
            .ToList();
        return Task.FromResult(nearest);
    }

    /// <inheritdoc />
    public async Task<PrototypeSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Members.Count > 0)
        {
            return Summary();
        }

        // No member yet: the centroid is the directory's (what a joining user gets as its prior).
        var evaluator = await evaluators.GetAsync(cancellationToken);
        int dimension = evaluator.Features.Dimension + evaluator.Model.FactorDimension;
        var info = await tenants.GetAsync(_tenant, cancellationToken);
        var centroids = info?.Directory.Centroids ?? [];
        var centroid = _index < centroids.Count && centroids[_index].Length == dimension ? (float[])centroids[_index].Clone() : new float[dimension];
        return new PrototypeSummary(_index, 0, centroid, 0, 0, state.State.Version);
    }

    /// <inheritdoc />
    public Task<PrototypeReservoir> GetReservoirAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new PrototypeReservoir(state.State.Version, state.State.Reservoir.ConvertAll(r => r.ToSnapshot())));

    /// <summary>
    /// Keeps the reservoir a uniform sample of the members (Algorithm R over joins): a member already sampled is
    /// replaced in place; a free slot (after a removal) takes whoever reports next; a new member enters a full
    /// reservoir with probability capacity / joined. Algorithm R rather than replace-oldest, so long-standing members
    /// stay represented in neighbour search and re-clustering instead of the sample tracking only recent joiners.
    /// </summary>
    private void Sample(MemberSnapshot member, bool isNew)
    {
        var reservoir = state.State.Reservoir;
        int at = reservoir.FindIndex(r => r.UserKey == member.UserKey);
        if (at >= 0)
        {
            reservoir[at] = StoredSnapshot.From(member);
        }
        else if (reservoir.Count < ReservoirCapacity)
        {
            reservoir.Add(StoredSnapshot.From(member));
        }
        else if (isNew)
        {
            long slot = _random.NextInt64(state.State.Joined);
            if (slot < ReservoirCapacity)
            {
                reservoir[(int)slot] = StoredSnapshot.From(member);
            }
        }
    }

    private async Task ValidateAsync(MemberSnapshot member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (string.IsNullOrWhiteSpace(member.UserKey) || GrainKeys.Parse(member.UserKey).Tenant != _tenant)
        {
            throw new ArgumentException($"Member '{member.UserKey}' is not a user of tenant '{_tenant}'.", nameof(member));
        }

        var evaluator = await evaluators.GetAsync(cancellationToken);
        int dimension = evaluator.Features.Dimension + evaluator.Model.FactorDimension;
        if (member.Scheme is null || member.Scheme.Length != dimension || !AllFinite(member.Scheme))
        {
            throw new ArgumentException(
                $"Member '{member.UserKey}': the scheme must have {dimension} finite values, got {member.Scheme?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.",
                nameof(member));
        }

        if (member.Key is null || !AllFinite(member.Key))
        {
            throw new ArgumentException($"Member '{member.UserKey}': the key must be set and finite.", nameof(member));
        }

        if (member.PairCount < 0 || member.Sequence < 0)
        {
            throw new ArgumentException($"Member '{member.UserKey}': PairCount and Sequence must not be negative.", nameof(member));
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

    private PrototypeSummary Summary()
    {
        long count = state.State.Members.Count;
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
        return new PrototypeSummary(_index, count, centroid, spread, count > 0 ? (double)_sumPairs / count : 0, state.State.Version);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float na = TensorPrimitives.Norm(a), nb = TensorPrimitives.Norm(b);
        return na == 0 || nb == 0 ? 0 : TensorPrimitives.Dot(a, b) / (na * nb);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float x in values)
        {
            if (!float.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Snapshot {Sequence} of {UserKey} is not newer than {Held} on {PrototypeKey}; ignored")]
    private partial void LogStaleSnapshot(string userKey, long sequence, long held, string prototypeKey);
}

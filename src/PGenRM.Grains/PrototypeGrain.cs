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

    private PrototypeMembers _members = null!;
    private int _index;
    private string _tenant = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _index) = GrainKeys.ParsePrototype(this.GetPrimaryKeyString());
        _members = new PrototypeMembers(state, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<PrototypeSummary> UpsertMemberAsync(MemberSnapshot member, CancellationToken cancellationToken = default)
    {
        await ValidateAsync(member, cancellationToken);
        try
        {
            if (!await _members.UpsertAsync(member, cancellationToken))
            {
                LogStaleSnapshot(member.UserKey, member.Sequence, state.State.Members[member.UserKey].Sequence, this.GetPrimaryKeyString());
            }
        }
        catch
        {
            // Memory is ahead of storage (or holds a re-read state with the change applied): reload on the next call.
            DeactivateOnIdle();
            throw;
        }

        return Summary();
    }

    /// <inheritdoc />
    public async Task<PrototypeSummary> RemoveMemberAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userKey);
        try
        {
            await _members.RemoveAsync(userKey, cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        return Summary();
    }

    /// <inheritdoc />
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        // The version moves on, so readers' reservoir caches drop what they hold.
        state.State = new PrototypeState { Version = state.State.Version + 1 };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        _members = new PrototypeMembers(state, this.GetPrimaryKeyString());
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

    private PrototypeSummary Summary() => _members.Summary(_index);

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

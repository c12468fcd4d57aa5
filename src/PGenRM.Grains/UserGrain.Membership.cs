using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// Prototype membership of a user: placement on the first update, the nearest-prototype check with hysteresis after
/// every update (and on any call after the tenant re-clustered), the prior = the prototype's centroid, and the reports
/// that keep the prototype's member statistics current without making it a hot spot.
/// </summary>
/// <remarks>
/// Protocol: a move is first written to the user's own state (<see cref="UserState.Prototype"/> = new,
/// <see cref="UserState.PendingLeave"/> = old, <see cref="UserState.ReportPending"/>), then the old prototype is left
/// and the new one joined, then the flags are cleared (stored with the user's next write). Both prototype calls are idempotent (remove
/// of a non-member is a no-op, snapshots carry a sequence), so a crash anywhere leaves a state the next update
/// finishes; a member is never counted in two prototypes for longer than that. Membership failures after the feedback
/// is stored are logged, not thrown: the feedback is durable and the flags make the next update retry.
/// </remarks>
public sealed partial class UserGrain
{
    /// <summary>Relative hysteresis margin of the nearest-prototype check (cosine distance): another prototype must be 10% closer.</summary>
    public const float PrototypeMoveMargin = 0.1f;

    /// <summary>Cosine change of the scheme since the last report that makes a report due.</summary>
    public const double ReportCosineChange = 0.02;

    /// <summary>A report is due after this many feedback items even if the scheme barely moved (keeps pair counts fresh).</summary>
    public const int ReportEveryFeedback = 8;

    private PrototypeDirectory _directory = new(0, [], []);
    private TenantCache? _tenants;
    private float[]? _population;

    /// <summary>Loads the tenant's directory (before the model is rebuilt, so it starts at its prototype's prior).</summary>
    private async Task LoadMembershipAsync(CancellationToken cancellationToken)
    {
        _tenants = ServiceProvider.GetRequiredService<TenantCache>();
        _directory = await DirectoryAsync(cancellationToken);
        _population = await PopulationAsync(_directory, state.State, cancellationToken);
    }

    /// <summary>
    /// The population scheme is the prior of a user with no data only: with its first pairs or a stated preference the
    /// user learns under the prior of the prototype it joins, as every placed user does.
    /// </summary>
    private void LeavePopulationPrior()
    {
        if (_population is not null)
        {
            _population = null;
            _model.SetPrior(MembershipPrior(state.State));
        }
    }

    /// <summary>
    /// The population scheme of a tenant that has not re-clustered yet, for a user not placed yet: the running mean of
    /// prototype 0, which every placed user joins before the first re-clustering, so a new user is scored from the
    /// tenant's first feedback on by what its users share, not by a zero scheme. Null when there is nothing to use
    /// (no member yet, a clustered tenant, or a placed user). One read-only call per activation, none per request.
    /// </summary>
    private async Task<float[]?> PopulationAsync(PrototypeDirectory directory, UserState s, CancellationToken cancellationToken)
    {
        if (directory.Version != 0 || s.Prototype is not null)
        {
            return null;
        }

        var summary = await Prototype(0).GetSummaryAsync(cancellationToken);
        int dimension = _evaluator.Features.Dimension + _evaluator.Model.FactorDimension;
        return summary.Members > 0 && summary.Centroid.Length == dimension && TensorPrimitives.Norm(summary.Centroid) > 0 ? summary.Centroid : null;
    }

    /// <summary>
    /// The prior of the user's prototype in the loaded directory. A user not placed yet gets the prototype it would join
    /// without a stated preference (the largest), so a cold-start score is the prototype prior, not an empty one; before
    /// the tenant's first re-clustering the population scheme (<see cref="PopulationAsync"/>), and the zero-mean prior
    /// only while the tenant has no feedback at all.
    /// </summary>
    private DiagonalGaussian MembershipPrior(UserState s)
    {
        var prior = _evaluator.DefaultPrior();
        if (s.Prototype is null && _directory.Version == 0 && _population is float[] population && population.Length == prior.Dimension)
        {
            return new DiagonalGaussian(Array.ConvertAll(population, x => (double)x), prior.Precision);
        }

        int? index = s.Prototype ?? (_directory.Centroids.Count > 0 ? Largest(_directory) : null);
        if (index is not int p || p >= _directory.Centroids.Count || _directory.Centroids[p].Length != prior.Dimension)
        {
            return prior;
        }

        return new DiagonalGaussian(Array.ConvertAll(_directory.Centroids[p], x => (double)x), prior.Precision);
    }

    /// <summary>
    /// Places or re-checks the user and reports to prototypes as needed. <paramref name="updated"/>: the scheme just
    /// changed (feedback or stated preference); otherwise only a new directory version or an unfinished move is acted on.
    /// </summary>
    private async Task SyncMembershipAsync(bool updated, CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.Prototype is null && _model.IsColdStart)
        {
            // Nothing learned yet: the user joins with its first update, so a read or score creates no membership. Its
            // prior still follows the tenant's re-clustering (the prototype it would join).
            var latest = await DirectoryAsync(cancellationToken);
            if (latest.Version != _directory.Version)
            {
                _directory = latest;
                _model.SetPrior(MembershipPrior(s));
            }

            return;
        }

        try
        {
            if (s.PendingLeave is not null || s.ReportPending)
            {
                // An earlier move or join did not finish: finish it first, so at most one move is ever in flight.
                await ReportAsync(Floats(_model.Scheme), cancellationToken);
            }

            var directory = await DirectoryAsync(cancellationToken);
            bool newVersion = directory.Version != s.MembershipVersion;
            if (!updated && !newVersion && s.Prototype is not null)
            {
                return;
            }

            _directory = directory;
            var scheme = Floats(_model.Scheme);
            int? from = s.Prototype;
            int to = from is null ? Place(directory, scheme, s.StatedPreference is not null) : Recheck(directory, from.Value, scheme);
            bool moved = from != to;
            if (moved || newVersion)
            {
                // The prior is the (new) prototype's centroid at the (new) version; refit under it.
                s.Prototype = to;
                s.MembershipVersion = directory.Version;
                _model.SetPrior(MembershipPrior(s));
                scheme = Floats(_model.Scheme);
            }

            if (moved)
            {
                s.PendingLeave = from;
                s.ReportPending = true;
                await state.WriteStateAsync(cancellationToken);
            }
            else if (updated)
            {
                s.FeedbackSinceReport++;
                s.ReportPending |= CosineChange(scheme, s.ReportedScheme) > ReportCosineChange || s.FeedbackSinceReport >= ReportEveryFeedback;
            }

            if (!s.ReportPending && s.PendingLeave is null)
            {
                return;
            }

            await ReportAsync(scheme, cancellationToken);
            if (moved)
            {
                await ReportMoveAsync(from, to, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The update itself is stored; the flags written above make the next update retry the membership step.
            LogMembershipFailed(e, _key);
        }
    }

    /// <summary>Leaves every prototype the user may be counted in (before its state is deleted).</summary>
    private async Task LeavePrototypesAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        foreach (int? p in new[] { s.Prototype, s.PendingLeave }.Distinct())
        {
            if (p is int index)
            {
                await Prototype(index).RemoveMemberAsync(_key, cancellationToken);
            }
        }
    }

    private async Task ReportAsync(float[] scheme, CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.PendingLeave is int old)
        {
            if (old != s.Prototype)
            {
                await Prototype(old).RemoveMemberAsync(_key, cancellationToken);
            }

            s.PendingLeave = null;
        }

        if (s.Prototype is int current)
        {
            var key = NeighbourKey();

            // Monotonic without a write of its own: the feedback count is stored before the reports that follow it, so
            // once the next feedback item is stored its sequences exceed any lost with an unwritten report. Until then a
            // repeated sequence is ignored by the prototype: the member's snapshot is briefly stale, never double counted.
            s.ReportSequence = Math.Max(s.ReportSequence + 1, s.FeedbackCount << 20);
            await Prototype(current).UpsertMemberAsync(new MemberSnapshot(_key, scheme, key, _model.PairCount, s.ReportSequence), cancellationToken);
            s.ReportedScheme = scheme;
            s.FeedbackSinceReport = 0;
            s.ReportPending = false;
        }

        // Not written here: the cleared flags and the sequence ride on the user's next write. Lost with the activation,
        // they make the next update repeat the (idempotent) calls, which is cheaper than a state write per report.
    }

    private async Task ReportMoveAsync(int? from, int to, CancellationToken cancellationToken)
    {
        // Users of a tenant that was never created (grain-level use) have nobody to report to.
        if (_tenants is not null && await _tenants.GetAsync(_tenant, cancellationToken) is not null)
        {
            await GrainFactory.GetGrain<ITenantGrain>(GrainKeys.Tenant(_tenant)).ReportMoveAsync(from, to, cancellationToken);
        }

        LogMoved(_key, from ?? -1, to);
    }

    /// <summary>
    /// First placement: with a stated preference the centroid nearest (cosine) to the user's scheme, which at this
    /// point is fitted on the stated pseudo-pair and any first pairs; otherwise the largest prototype (the tenant prior).
    /// </summary>
    private static int Place(PrototypeDirectory directory, float[] scheme, bool stated)
    {
        if (stated && TensorPrimitives.Norm(scheme) > 0 && directory.Centroids.Any(c => TensorPrimitives.Norm(c) > 0))
        {
            return CentroidAssignment.Nearest(scheme, directory.Centroids, DistanceMetric.Cosine).Index;
        }

        return Largest(directory);
    }

    private static int Recheck(PrototypeDirectory directory, int current, float[] scheme)
    {
        if (TensorPrimitives.Norm(scheme) == 0)
        {
            return current < directory.Centroids.Count ? current : Largest(directory);
        }

        return CentroidAssignment.Reassign(current, scheme, directory.Centroids, PrototypeMoveMargin, DistanceMetric.Cosine);
    }

    private static int Largest(PrototypeDirectory directory)
    {
        int best = 0;
        for (int i = 1; i < directory.Counts.Count && i < directory.Centroids.Count; i++)
        {
            if (directory.Counts[i] > directory.Counts[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The tenant's directory through the silo cache; version 0 (one prototype at the zero prior mean) when the tenant was never clustered or does not exist.</summary>
    private async Task<PrototypeDirectory> DirectoryAsync(CancellationToken cancellationToken)
    {
        int dimension = _evaluator.Features.Dimension + _evaluator.Model.FactorDimension;
        var info = _tenants is null ? null : await _tenants.GetAsync(_tenant, cancellationToken);
        var directory = info?.Directory;
        if (directory is null || directory.Centroids.Count == 0 || directory.Centroids.Any(c => c.Length != dimension))
        {
            // A directory of another dimension belongs to another model version: the tenant prior is the safe start.
            return new PrototypeDirectory(0, [new float[dimension]], [0]);
        }

        return directory;
    }

    private IPrototypeGrain Prototype(int index) => GrainFactory.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(_tenant, index));

    private static double CosineChange(float[] scheme, float[] reported)
    {
        if (reported.Length != scheme.Length)
        {
            return double.PositiveInfinity;
        }

        float a = TensorPrimitives.Norm(scheme), b = TensorPrimitives.Norm(reported);
        return a == 0 || b == 0 ? (a == b ? 0 : 1) : 1 - (TensorPrimitives.Dot(scheme, reported) / (a * b));
    }

    private static float[] Floats(double[] values) => Array.ConvertAll(values, x => (float)x);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Prototype membership of {UserKey} could not be updated; the next update retries")]
    private partial void LogMembershipFailed(Exception exception, string userKey);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "User {UserKey} moved from prototype {From} to {To}")]
    private partial void LogMoved(string userKey, int from, int to);
}

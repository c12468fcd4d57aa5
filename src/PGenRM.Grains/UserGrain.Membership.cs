using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// The user grain's glue to its prototype membership (<see cref="UserMembership"/> holds the protocol): the prior (the
/// population scheme while the user is a member of nothing, its prototype's centroid after), the membership step after
/// each update, and the background sending of the outbox.
/// </summary>
/// <remarks>
/// Reports leave only after the state that holds them is stored, and are sent in the background, one after another in
/// order, after the feedback is acknowledged: the acknowledgment never waits for a prototype. A report's confirmation
/// only marks it; the outbox drops it at the next membership step or write.
/// </remarks>
public sealed partial class UserGrain
{
    /// <summary>Relative hysteresis margin of the nearest-prototype check (<see cref="UserMembership.MoveMargin"/>).</summary>
    public const float PrototypeMoveMargin = UserMembership.MoveMargin;

    /// <summary>
    /// Longest a join, move or report waits in memory for a checkpoint before it is written on its own (and its
    /// reports leave): the lag of a prototype behind a new member. The write is off the acknowledgment, so a feedback's
    /// own storage request stays the log row; a join happens once per user and a move rarely, so a short delay costs
    /// about one state write per new user either way, and keeps the prototypes (and a re-clustering pass) seconds behind.
    /// </summary>
    public static readonly TimeSpan MembershipWriteDelay = TimeSpan.FromSeconds(5);

    /// <summary>A report is due after this many feedback items (<see cref="UserMembership.ReportEveryFeedback"/>).</summary>
    public const int ReportEveryFeedback = UserMembership.ReportEveryFeedback;

    private readonly HashSet<long> _confirmed = [];
    private readonly HashSet<long> _stored = [];
    private PrototypeDirectory _directory = new(0, [], []);
    private TenantCache? _tenants;
    private PopulationCache? _populations;
    private UserMembership _membership = null!;
    private float[]? _population;
    private Task? _sending;
    private IGrainTimer? _membershipTimer;
    private int? _placement;

    /// <summary>Loads the tenant's directory and population scheme (before the model is rebuilt, so it starts at its prior).</summary>
    private async Task LoadMembershipAsync(CancellationToken cancellationToken)
    {
        _tenants = ServiceProvider.GetRequiredService<TenantCache>();
        _populations = ServiceProvider.GetRequiredService<PopulationCache>();
        _membership = new UserMembership(_key);
        _directory = await DirectoryAsync(cancellationToken);
        _population = state.State.Prototype is null ? await PopulationAsync(_directory, cancellationToken) : null;
        StoredOutbox();
    }

    /// <summary>
    /// Takes a directory as the one in force: its prototypes' priors (<see cref="PriorOf"/>) and its collaborative scale,
    /// the model's from the next fit on (a new version comes with new priors, whose SetPrior refits).
    /// </summary>
    private void UseDirectory(PrototypeDirectory directory)
    {
        _directory = directory;
        _model.TenantCollaborativeScale = directory.CollaborativeScale;
    }

    /// <summary>The tenant's population scheme (Σθ / count over its prototypes) through the silo cache, if it fits this model.</summary>
    private async Task<float[]?> PopulationAsync(PrototypeDirectory directory, CancellationToken cancellationToken)
    {
        var population = _populations is null ? null : await _populations.GetAsync(_tenant, directory, cancellationToken);
        int dimension = _evaluator.SchemeDimension;
        return population?.Length == dimension ? population : null;
    }

    /// <summary>
    /// The prior of the user: the centroid of its prototype in the loaded directory; while it is a member of nothing the
    /// tenant's population scheme (from the tenant's first feedback on), and the zero-mean prior only while the tenant
    /// has no member at all.
    /// </summary>
    private DiagonalGaussian MembershipPrior(UserState s)
    {
        var prior = _evaluator.DefaultPrior();
        if (s.Prototype is not int p)
        {
            return _population is float[] population && population.Length == prior.Dimension
                ? new DiagonalGaussian(Array.ConvertAll(population, x => (double)x), prior.Precision)
                : prior;
        }

        return PriorOf(p);
    }

    /// <summary>
    /// The prior of prototype <paramref name="p"/> of the loaded directory: its shrunk prior mean (its centroid in a
    /// directory without priors; the zero-mean prior if it has neither of this dimension).
    /// </summary>
    private DiagonalGaussian PriorOf(int p)
    {
        var prior = _evaluator.DefaultPrior();
        var mean = _directory.Priors is { } priors && p < priors.Count ? priors[p]
            : p < _directory.Centroids.Count ? _directory.Centroids[p]
            : null;
        return mean?.Length == prior.Dimension ? new DiagonalGaussian(Array.ConvertAll(mean, x => (double)x), prior.Precision) : prior;
    }

    /// <summary>
    /// The scoring read's part: follows a new directory version or population scheme with the prior, in memory only (no
    /// write, no report, no move: those wait for the next update).
    /// </summary>
    private async Task RefreshPriorAsync(CancellationToken cancellationToken)
    {
        var latest = await DirectoryAsync(cancellationToken);
        bool changed = latest.Version != _directory.Version;
        UseDirectory(latest);
        if (state.State.Prototype is null)
        {
            var population = await PopulationAsync(latest, cancellationToken);
            changed |= !ReferenceEquals(population, _population);
            _population = population;
        }

        if (changed)
        {
            _model.SetPrior(MembershipPrior(state.State));
        }
    }

    /// <summary>
    /// Before the first update of a user that is a member of nothing: places it by its scheme fitted under the population
    /// prior (a probe fit of the history with the new pairs and stated preference), then moves the model to that
    /// prototype's prior before the update is applied, so the user learns under its prototype's prior from its first pair
    /// on, as every placed user does. The membership step after the update makes the join. With one prototype in the
    /// directory the placement is that one, and the probe fit (a full fit, the cost of a second update) is skipped.
    /// </summary>
    private void PlaceBeforeFirstUpdate(IEnumerable<PairEvidence> newPairs, double[]? stated)
    {
        _placement = null;
        if (state.State.Prototype is not null)
        {
            return;
        }

        var pairs = _model.History.Concat(newPairs).ToList();
        var statedNow = stated ?? _model.StatedPreference;
        if (pairs.Count == 0 && _model.Folded.Count == 0 && statedNow is null)
        {
            // Still no data: stays a member of nothing (as the probe's cold start said before).
            return;
        }

        if (_directory.Centroids.Count <= 1)
        {
            // One prototype (a tenant not clustered yet): the placement does not depend on the scheme, so no probe fit.
            _placement = 0;
        }
        else
        {
            var probe = new UserModel(MembershipPrior(state.State), _evaluator.Model, _directory.CollaborativeScale);
            probe.Restore(pairs, _model.Folded, statedNow);
            _placement = UserMembership.Place(_directory, Floats(probe.Scheme), _key);
        }

        _population = null;
        _model.SetPrior(PriorOf(_placement.Value));
    }

    /// <summary>
    /// The membership step after an update (or, with <paramref name="updated"/> false, on a new directory version):
    /// places or re-checks the user and puts due reports in the outbox. True when a join or move was created; its reports
    /// leave (<see cref="SendReports"/>) once a state write holds them (a checkpoint, <see cref="ScheduleMembershipWrite"/>,
    /// or the caller's own write).
    /// </summary>
    private async Task<bool> MembershipStepAsync(bool updated, bool writing, CancellationToken cancellationToken)
    {
        // Update reports ride on the checkpoint (every CheckpointEvery operations), never on a write of their own.
        writing |= state.State.LogSequence - _checkpointed >= CheckpointEvery;
        var s = state.State;
        UserMembership.Confirm(s, _confirmed);
        if (s.Prototype is null && _model.IsColdStart)
        {
            return false;
        }

        try
        {
            UseDirectory(await DirectoryAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The feedback is in the log already: decide on the directory this activation holds rather than fail it.
            LogMembershipFailed(e, _key);
        }

        bool joinOrMove = _membership.Update(s, Floats(_model.Scheme), _model.PairCount, _directory, updated, SetPrior, NewReportId, writing, _placement);
        _placement = null;
        if (joinOrMove)
        {
            LogMoved(_key, s.Outbox.Count > 1 ? s.Outbox[^2].Prototype : -1, s.Prototype ?? -1);
        }

        return joinOrMove;

        float[] SetPrior(int prototype)
        {
            // Refit only when the prior changes (a placed user already learned under its prototype's prior).
            _population = null;
            var prior = PriorOf(prototype);
            if (!prior.Mean.AsSpan().SequenceEqual(_model.Prior.Mean))
            {
                _model.SetPrior(prior);
            }

            return Floats(_model.Scheme);
        }
    }

    /// <summary>
    /// Arms the membership write: a join, move or report not yet stored is written at most
    /// <see cref="MembershipWriteDelay"/> later, unless a checkpoint (every <see cref="CheckpointEvery"/> operations) or
    /// the deactivation stores it first. So a feedback's own storage request stays the log row, and a prototype learns
    /// of a new member within that delay (its reports leave once stored).
    /// </summary>
    private void ScheduleMembershipWrite()
    {
        if (_membershipTimer is not null || _stale || !UnstoredReports())
        {
            return;
        }

        _membershipTimer = this.RegisterGrainTimer(
            static async (self, ct) =>
            {
                try
                {
                    if (!self._stale && self.UnstoredReports())
                    {
                        await self.CheckpointAsync(force: true, reapply: null, ct);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Nothing acknowledged depends on it: the next checkpoint, the deactivation or the log tail stores it.
                    self.LogMembershipWriteFailed(e, self._key);
                }
                finally
                {
                    // Disposed after the write: disposing a grain timer cancels the token its running callback got.
                    self._membershipTimer?.Dispose();
                    self._membershipTimer = null;
                }
            },
            this,
            new GrainTimerCreationOptions { DueTime = MembershipWriteDelay, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = false });
    }

    /// <summary>Whether the outbox holds a report that was never stored (a confirmation alone waits for the next write).</summary>
    private bool UnstoredReports() => state.State.Outbox.Any(r => !_stored.Contains(r.Id));

    /// <summary>Whether the outbox changed since the state was last stored (a report created or confirmed since).</summary>
    private bool MembershipDirty() => state.State.Outbox.Any(r => !_stored.Contains(r.Id) || _confirmed.Contains(r.Id));

    /// <summary>Marks the outbox as stored (called after every successful state write and on activation).</summary>
    private void StoredOutbox()
    {
        foreach (var report in state.State.Outbox)
        {
            _stored.Add(report.Id);
        }
    }

    /// <summary>Starts the background sender unless it runs; it sends the stored, unconfirmed reports in order.</summary>
    private void SendReports()
    {
        if (_sending is null && state.State.Outbox.Any(r => _stored.Contains(r.Id) && !_confirmed.Contains(r.Id)))
        {
            _sending = SendLoopAsync();
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (state.State.Outbox.FirstOrDefault(r => _stored.Contains(r.Id) && !_confirmed.Contains(r.Id)) is PendingReport next)
            {
                await Prototype(next.Prototype).ApplyAsync(next.ToReport(_key, Snapshot(next)));
                _confirmed.Add(next.Id);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Kept in the outbox: the next write or activation sends it again (by id, it is applied once).
            LogMembershipFailed(e, _key);
        }
        finally
        {
            _sending = null;
        }
    }

    /// <summary>The member as the reservoir samples it: the reported contribution and the current judgment sketch.</summary>
    private MemberSnapshot Snapshot(PendingReport report) =>
        new(_key, state.State.ReportedScheme.Length > 0 ? (float[])state.State.ReportedScheme.Clone() : FloatBytes.Unpack(report.SchemeDelta), SketchFloats(), state.State.ReportedPairs, report.Sequence,
            (float[])_model.CollaborativeCriteria.Clone());

    /// <inheritdoc />
    public async Task FlushReportsAsync(CancellationToken cancellationToken = default)
    {
        // Two rounds: the outbox as it is, then the update report it held back (due, but blocked while the last one was
        // unconfirmed), so that after a flush the prototype holds the user's contribution as the report rule has it.
        for (int round = 0; round < 2; round++)
        {
            var s = state.State;
            bool confirmed = UserMembership.Confirm(s, _confirmed);
            bool created = round > 0 && UserMembership.ReportIfDue(s, Floats(_model.Scheme), _model.PairCount, NewReportId);
            if (confirmed | created | s.Outbox.Any(r => !_stored.Contains(r.Id)))
            {
                await CheckpointAsync(force: true, reapply: null, cancellationToken);
            }

            // A failed send ends the sender; try it a few times here, then report what is left.
            for (int attempt = 0; attempt < 3; attempt++)
            {
                SendReports();
                if (_sending is not Task sending)
                {
                    break;
                }

                await sending;
            }

            if (state.State.Outbox.Any(r => !_confirmed.Contains(r.Id)))
            {
                throw new InvalidOperationException($"User {_key}: {state.State.Outbox.Count(r => !_confirmed.Contains(r.Id))} prototype reports are not confirmed yet; retry.");
            }
        }
    }

    /// <inheritdoc />
    public async Task ReplayDerivedAsync(CancellationToken cancellationToken = default)
    {
        await ReplayJudgmentsAsync(cancellationToken);

        // The membership half: after a reset of the prototypes, re-join the current one with the current contribution.
        if (_membership.Rejoin(state.State, Floats(_model.Scheme), _model.PairCount))
        {
            _confirmed.Clear();
            await FlushReportsAsync(cancellationToken);
        }
    }

    /// <summary>Leaves the user's prototype (before its state is deleted): finishes the outbox, then sends the leave and waits for it.</summary>
    private async Task LeavePrototypesAsync(CancellationToken cancellationToken)
    {
        await FlushReportsAsync(cancellationToken);
        if (_membership.LeaveAll(state.State, NewReportId))
        {
            var leave = state.State.Outbox[^1];
            await Prototype(leave.Prototype).ApplyAsync(leave.ToReport(_key, null), cancellationToken);
            state.State.Outbox.Clear();
        }
    }

    /// <summary>The tenant's directory through the silo cache; version 0 (one prototype at the zero prior mean) when the tenant was never clustered or does not exist.</summary>
    private async Task<PrototypeDirectory> DirectoryAsync(CancellationToken cancellationToken)
    {
        int dimension = _evaluator.SchemeDimension;
        var info = _tenants is null ? null : await _tenants.GetAsync(_tenant, cancellationToken);
        var directory = info?.Directory;
        if (directory is null || directory.Centroids.Count == 0 || directory.Centroids.Any(c => c.Length != dimension))
        {
            // A directory of another dimension belongs to another model version: the tenant prior is the safe start.
            return new PrototypeDirectory(0, [new float[dimension]], [0], directory?.Slots ?? 0);
        }

        return directory;
    }

    private IPrototypeGrain Prototype(int index) => GrainFactory.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(_tenant, index));

    private static long NewReportId() => Random.Shared.NextInt64(1, long.MaxValue);

    private static float[] Floats(double[] values) => Array.ConvertAll(values, x => (float)x);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Prototype reports of {UserKey} could not be sent; the next write or activation sends them again")]
    private partial void LogMembershipFailed(Exception exception, string userKey);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "The membership write of {UserKey} failed; its reports wait for the next checkpoint or the deactivation")]
    private partial void LogMembershipWriteFailed(Exception exception, string userKey);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "User {UserKey} moved from prototype {From} to {To}")]
    private partial void LogMoved(string userKey, int from, int to);
}

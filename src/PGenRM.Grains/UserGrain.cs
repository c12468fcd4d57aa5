using Microsoft.Extensions.Logging;
using Orleans.Storage;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Log;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// One user's preference model (key "{tenant}/{user}"). Feedback is applied in one turn: encode, read both items'
/// statistics (through the silo's <see cref="Derived.ItemStatsCache"/>), append the operation with the judge's scheme
/// before it to the <see cref="FeedbackLog"/> (the source of truth and the one storage request of a feedback; a repeated
/// id is rejected there, before memory changes), update the <see cref="UserModel"/>, post the items' judgments to the
/// silo's <see cref="Derived.DerivedStatsPipeline"/> (not awaited by the acknowledgment; it waits only while the
/// pipeline's queue is full), and acknowledge. The compact state is a checkpoint written every
/// <see cref="CheckpointEvery"/> operations (and on deactivation); on activation the verbatim history and the entries above the checkpoint come back from the log
/// (docs/STORAGE.md). The grain is not reentrant, so concurrent feedback for one user is applied one item at a time.
/// An activation idle for <see cref="IdleMinutes"/> is deactivated (checkpointed) instead of Orleans' default two hours.
/// </summary>
[CollectionAgeLimit(Minutes = IdleMinutes)]
public sealed partial class UserGrain(
    [PersistentState("user", "users")] IPersistentState<UserState> state,
    SiloEvaluator evaluators,
    FeedbackLog log,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>Recent feedback operations whose ids the state keeps (for <see cref="GetHistoryPairsAsync"/>; texts live in the log).</summary>
    public const int RecentWindow = 16;

    /// <summary>
    /// Feedback operations between two state writes. The log row alone makes an operation durable; the checkpoint only
    /// bounds how much of the log an activation replays, and spreads the state's bytes over this many operations.
    /// </summary>
    public const int CheckpointEvery = 4;

    /// <summary>
    /// Minutes without a call after which the user's activation is collected. Millions of users mostly send feedback in
    /// bursts (a labelling session, an RL run); a user back after this is reactivated from its checkpoint and log tail
    /// (one read each), which is cheaper than keeping every user of the last two hours (Orleans' default) in memory.
    /// </summary>
    public const double IdleMinutes = 15;

    // The log entries whose pairs are (partly) in the model's verbatim history, oldest first: (sequence, pairs).
    private readonly List<(long Sequence, int Pairs)> _historyEntries = [];
    private long _checkpointed;
    private double[] _sketch = [];

    // Memory holds an update that is not in the log and could not be undone: never checkpoint it.
    private bool _stale;

    /// <summary>Longest accepted feedback id.</summary>
    public const int MaxFeedbackIdLength = 256;

    private CompactEvaluator _evaluator = null!;
    private UserModel _model = null!;
    private string _key = "";
    private string _tenant = "";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        _tenant = GrainKeys.Parse(_key).Tenant;
        _evaluator = await evaluators.GetAsync(cancellationToken);
        var s = state.State;
        if (state.RecordExists && s.ModelVersion is not null && s.ModelVersion != _evaluator.ModelVersion && (s.LogSequence > 0 || s.FoldedCount > 0 || s.StatedPreference is not null))
        {
            // Stored vectors live in another feature space; fitting them here would be silently wrong.
            throw new InvalidOperationException(
                $"User {_key} was stored under model '{s.ModelVersion}' but this silo runs '{_evaluator.ModelVersion}'; migrate or delete the user.");
        }

        await LoadMembershipAsync(cancellationToken);
        await RestoreAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_stale && (state.State.LogSequence > _checkpointed || MembershipDirty()) && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            try
            {
                await CheckpointAsync(force: true, reapply: null, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: the next activation replays the log above the last checkpoint.
                LogCheckpointFailed(e, _key);
            }
        }
    }

    /// <inheritdoc />
    public async Task<FeedbackReceipt> ApplyFeedbackAsync(FeedbackItem item, CancellationToken cancellationToken = default)
    {
        Validate(item);

        // Everything awaited before the first mutation: a failure here leaves the grain exactly as stored.
        var encoded = await _evaluator.EncodeAsync(item.Query, [item.Chosen, item.Rejected], [item.ChosenItemId, item.RejectedItemId], cancellationToken);
        var chosen = encoded.Candidates[0];
        var rejected = encoded.Candidates[1];
        if (chosen.ItemId == rejected.ItemId)
        {
            throw new InvalidRequestException("rejected", $"Feedback {item.FeedbackId}: chosen and rejected are the same item ({chosen.ItemId}).");
        }

        var chosenStats = ItemCache.GetAsync(GrainKeys.Item(_tenant, chosen.ItemId), cancellationToken);
        var rejectedStats = ItemCache.GetAsync(GrainKeys.Item(_tenant, rejected.ItemId), cancellationToken);
        var chosenView = View(await chosenStats, chosen.FactorPrior);
        var rejectedView = View(await rejectedStats, rejected.FactorPrior);
        var pair = StoredPair.From(item.FeedbackId, CompactEvaluator.Evidence(encoded, chosenView, rejectedView, item.Weight), item.At);
        var entry = Entry(item.FeedbackId, item.Query, [item.Chosen, item.Rejected], [chosen, rejected], null, [pair], item.At);
        return await ApplyAndStoreAsync(entry, [new PendingPair(pair, chosen.FactorPrior, rejected.FactorPrior)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<UserProfile> SetStatedPreferenceAsync(string statedPreference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(statedPreference);
        // Rounded to the float32 the state stores, so the activation learns exactly what a reload restores.
        var vector = Array.ConvertAll(
            await _evaluator.StatedPreferenceAsync(statedPreference, cancellationToken: cancellationToken), UserStatePacker.RoundToSingle);
        try
        {
            // Last writer wins for the stated preference, but on the fresh state: a conflict re-reads and sets it again.
            SetStated(state.State);
            await CheckpointAsync(force: true, SetStated, cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        // Placed or re-checked on the new scheme; a join or move is stored before the call returns (reports leave stored).
        if (await MembershipStepAsync(updated: true, writing: true, cancellationToken) || MembershipDirty())
        {
            await CheckpointAsync(force: true, reapply: null, cancellationToken);
        }

        return Profile();

        void SetStated(UserState s)
        {
            PlaceBeforeFirstUpdate([], vector);
            _model.SetStatedPreference(vector);
            s.StatedPreference = vector;
            s.StatedPreferenceText = statedPreference;
            s.ModelVersion = _evaluator.ModelVersion;
        }
    }

    /// <inheritdoc />
    public Task<UserProfile> GetProfileAsync(CancellationToken cancellationToken = default) => Task.FromResult(Profile());

    /// <inheritdoc />
    public Task<string?> GetStatedPreferenceAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.StatedPreferenceText);

    /// <inheritdoc />
    public async Task<UserExport> ExportAsync(CancellationToken cancellationToken = default)
    {
        var entries = await log.ReadAllAsync(_key, cancellationToken);
        var feedback = entries
            .SelectMany(e => e.Pairs().Select(p => new ExportedFeedback(
                p.FeedbackId, p.ChosenItemId, p.RejectedItemId, p.Weight, p.At, e.Query, e.TextOf(p.ChosenItemId), e.TextOf(p.RejectedItemId))))
            .ToList();
        return new UserExport(Profile(), state.State.StatedPreferenceText, feedback, entries.ConvertAll(e => e.FeedbackId));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryPair>> GetHistoryPairsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<HistoryPair>(Math.Min(count, 64));
        var recent = state.State.RecentFeedback;

        // The window is at most RecentWindow rows: read them at once rather than one round trip after another (the LLM
        // judge asks for the whole window on every score). All of them, since a rating set of ties gives no pair.
        var entries = count == 0 ? [] : await Task.WhenAll(Enumerable.Reverse(recent).Select(id => log.GetAsync(_key, id, cancellationToken)));
        foreach (var read in entries)
        {
            if (result.Count == count)
            {
                break;
            }

            // A row missing here was deleted with the user by another activation; skip it rather than fail a read.
            if (read is not LogEntry entry)
            {
                continue;
            }

            // Within one rating set, its derived pairs newest-first means reverse storage order (all share one time).
            foreach (var p in Enumerable.Reverse(entry.Pairs()))
            {
                if (result.Count == count)
                {
                    break;
                }

                result.Add(new HistoryPair(p.FeedbackId, entry.Query, entry.TextOf(p.ChosenItemId), entry.TextOf(p.RejectedItemId), p.At));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        // Judgments of this user still queued in this silo land first, so the removal below takes them too.
        await Pipeline.FlushAsync(cancellationToken);
        await RemoveFromItemJudgesAsync(cancellationToken);
        await LeavePrototypesAsync(cancellationToken);
        try
        {
            // The log first: a crash after it leaves a state whose tail replay finds nothing, never log rows without a user.
            await log.DeleteUserAsync(_key, cancellationToken);
            await state.ClearStateAsync(cancellationToken);
        }
        finally
        {
            // Whatever storage says now, this activation must not serve the deleted data again.
            DeactivateOnIdle();
        }

        state.State = new UserState();
        _confirmed.Clear();
        _stored.Clear();
        _historyEntries.Clear();
        _checkpointed = 0;
        _sketch = [];
        _model = new UserModel(MembershipPrior(state.State), _evaluator.Model, _directory.CollaborativeScale);
        LogUserDeleted(_key);
    }

    /// <summary>
    /// Applies one feedback operation (one id, one or more pairs): append the log entry first (it carries the scheme and
    /// prototype the user had before the operation, known without fitting; a row with the same id means a duplicate, and
    /// memory was never touched), then update the model and the state in memory, post the judgments to the silo's
    /// pipeline, and write the state only when a checkpoint is due. The log row is the one storage request of a
    /// feedback; a checkpoint rides along every <see cref="CheckpointEvery"/> operations.
    /// </summary>
    private async Task<FeedbackReceipt> ApplyAndStoreAsync(LogEntry entry, IReadOnlyList<PendingPair> pairs, CancellationToken cancellationToken)
    {
        // A resend of a recent id (the usual retry) is known to be applied: answered without a storage request.
        if (state.State.RecentFeedback.Contains(entry.FeedbackId))
        {
            LogDuplicateFeedback(entry.FeedbackId, _key);
            return new FeedbackReceipt(FeedbackStatus.Duplicate, state.State.FeedbackCount);
        }

        entry.Sequence = state.State.LogSequence + 1;

        // The judge is the user as it was before this operation: what the items' judgments carry live and on replay.
        entry.JudgeScheme = FloatBytes.Pack(ToFloats(_model.Scheme));
        entry.JudgePrototype = state.State.Prototype;
        bool appended;
        try
        {
            appended = await log.TryAppendAsync(_key, [entry], cancellationToken);
        }
        catch (Exception e)
        {
            // Not known whether the row landed (a timeout may hide a write): the reload takes it from the log tail if it
            // did, so that memory and the log agree on the count and the next sequence.
            LogFeedbackFailed(e, entry.FeedbackId, _key);
            await ReloadAsync(cancellationToken);
            throw;
        }

        if (!appended)
        {
            // An id older than the recent window: the log refused it, and nothing in memory changed.
            LogDuplicateFeedback(entry.FeedbackId, _key);
            return new FeedbackReceipt(FeedbackStatus.Duplicate, state.State.FeedbackCount);
        }

        try
        {
            // Durable from here: the model follows the log. A failure below drops the activation; the next one replays
            // the row from the log tail.
            PlaceBeforeFirstUpdate(pairs.Select(p => p.Stored.ToEvidence()), null);
            Apply(state.State, entry, pairs);

            // The judgment ids are deterministic, so a replay re-posts them without double counting.
            await PostJudgmentsAsync(entry, pairs, cancellationToken);

            // Membership in memory; a join or move waits for the next checkpoint (or the membership timer) before its
            // reports leave: never sent unstored, and re-derived from the log tail if this activation dies first.
            await MembershipStepAsync(updated: true, writing: false, cancellationToken);
            await CheckpointAsync(force: false, reapply: null, cancellationToken);
            ScheduleMembershipWrite();
            return new FeedbackReceipt(FeedbackStatus.Applied, state.State.FeedbackCount);
        }
        catch (Exception e)
        {
            // Memory may be ahead of the checkpoint, and the log row is durable: drop the activation. The next one
            // replays the log tail, and the client's retry with the same id is then a duplicate of a counted item.
            LogFeedbackFailed(e, entry.FeedbackId, _key);
            _stale = true;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Rebuilds the activation from storage (checkpoint and log), dropping whatever memory holds that the log does not.
    /// If that fails too the activation is dropped without a checkpoint.
    /// </summary>
    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await state.ReadStateAsync(cancellationToken);
            await RestoreAsync(cancellationToken);
        }
        catch (Exception e)
        {
            _stale = true;
            DeactivateOnIdle();
            LogReloadFailed(e, _key);
        }
    }

    /// <summary>
    /// Rebuilds the activation from the stored checkpoint and the log: the verbatim history from the entries from
    /// <see cref="UserState.HistoryFromSequence"/> up to the checkpoint (one partition query; a user with no stored state
    /// and no marker row has none to make), then the entries above the
    /// checkpoint (acknowledged since, or appended before a crash) applied as new, and stored once.
    /// </summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        _historyEntries.Clear();
        long from = s.HistoryFromSequence > 0 ? Math.Min(s.HistoryFromSequence, s.LogSequence + 1) : s.LogSequence + 1;
        // A user with no stored state has no history to read; it may still have a tail (appended before a crash that
        // came before its first checkpoint), which its marker row tells by a point read instead of a partition query.
        var rows = state.RecordExists || await log.HasEntriesAsync(_key, cancellationToken)
            ? await log.ReadAfterAsync(_key, from - 1, cancellationToken)
            : [];
        var history = new List<PairEvidence>();
        var tail = new List<LogEntry>();
        foreach (var entry in rows)
        {
            if (entry.Sequence > s.LogSequence)
            {
                tail.Add(entry);
                continue;
            }

            var pairs = entry.Pairs();
            int skip = entry.Sequence == s.HistoryFromSequence ? s.HistorySkip : 0;
            history.AddRange(pairs.Skip(skip).Select(p => p.ToEvidence()));
            _historyEntries.Add((entry.Sequence, pairs.Count));
        }

        var prior = MembershipPrior(s);
        _model = new UserModel(prior, _evaluator.Model, _directory.CollaborativeScale);
        _sketch = Array.ConvertAll(s.JudgmentSketch, x => (double)x);
        if (history.Count > 0 || s.FoldedCount > 0 || s.StatedPreference is not null)
        {
            var folded = s.FoldedCount > 0
                ? new FoldedEvidence(Array.ConvertAll(s.FoldedMean, x => (double)x), PackedSymmetric.Unpack(s.FoldedPrecision), s.FoldedCount)
                : new FoldedEvidence(prior.Dimension);
            // The stored search state is resumed only under the prior it was stored with (a member checked against this
            // directory version); a new prior searches, as SetPrior does.
            var search = s.PriorScale > 0 && s.Prototype is not null && s.MembershipVersion == _directory.Version
                ? new ScaleSearchState(s.PriorScale, s.PairsAtSearch, s.AddsSinceSearch)
                : (ScaleSearchState?)null;
            _model.Restore(history, folded, s.StatedPreference, search);
        }

        _checkpointed = s.LogSequence;
        if (tail.Count == 0)
        {
            return;
        }

        foreach (var entry in tail)
        {
            var pairs = entry.Pairs().ConvertAll(p => new PendingPair(p, FactorPrior(entry, p.ChosenItemId), FactorPrior(entry, p.RejectedItemId)));
            Apply(state.State, entry, pairs);
            await PostJudgmentsAsync(entry, pairs, cancellationToken);
        }

        LogTailReplayed(_key, tail.Count, state.State.LogSequence);
        await MembershipStepAsync(updated: true, writing: true, cancellationToken);
        await CheckpointAsync(force: true, reapply: null, cancellationToken);
    }

    /// <summary>
    /// Writes the state when <see cref="CheckpointEvery"/> operations are unwritten or when <paramref name="force"/>; a
    /// user with no row yet needs none (the log tail rebuilds it). On an ETag conflict (another writer stored the row) the row is re-read and the
    /// activation rebuilt from it and the log above it (the log holds every acknowledged operation), then
    /// <paramref name="reapply"/> (an operation that is not in the log) is applied again, and the write retried.
    /// </summary>
    private async Task CheckpointAsync(bool force, Action<UserState>? reapply, CancellationToken cancellationToken)
    {
        if (!force && state.State.LogSequence - _checkpointed < CheckpointEvery)
        {
            return;
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                UserMembership.Confirm(state.State, _confirmed);
                (state.State.PriorScale, state.State.PairsAtSearch, state.State.AddsSinceSearch) = _model.SearchState;
                await state.WriteStateAsync(cancellationToken);
                _checkpointed = state.State.LogSequence;

                // The outbox is stored: its reports may leave now (in the background, never awaited here).
                StoredOutbox();
                SendReports();
                return;
            }
            catch (InconsistentStateException) when (attempt < PersistentStateWrites.DefaultMaxAttempts)
            {
                LogWriteConflict(_key, attempt);
                await state.ReadStateAsync(cancellationToken);
                await RestoreAsync(cancellationToken);
                if (reapply is null)
                {
                    // RestoreAsync stored what the log adds to the fresh row (or there was nothing to add).
                    return;
                }

                reapply(state.State);
            }
        }
    }

    /// <summary>The log entry of an operation (texts and ids of the responses, the pairs as applied).</summary>
    private static LogEntry Entry(string feedbackId, string query, List<string> texts, IReadOnlyList<EncodedCandidate> candidates, double[]? ratings, IReadOnlyList<StoredPair> pairs, DateTimeOffset at) => new()
    {
        FeedbackId = feedbackId,
        Query = query,
        Texts = texts,
        ItemIds = candidates.Select(c => c.ItemId).ToList(),
        FactorPriors = candidates.Select(c => Array.ConvertAll(c.FactorPrior, x => (float)x)).ToList(),
        Ratings = ratings,
        PackedPairs = UserStatePacker.PackPairs(pairs),
        At = at,
    };

    /// <summary>Applies an operation's pairs to the model and to <paramref name="s"/> (memory only).</summary>
    private void Apply(UserState s, LogEntry entry, IReadOnlyList<PendingPair> pairs)
    {
        if (pairs.Count == 1)
        {
            _model.Add(pairs[0].Stored.ToEvidence());
        }
        else if (pairs.Count > 1)
        {
            _model.AddRange(pairs.Select(p => p.Stored.ToEvidence()).ToList());
        }

        if (_sketch.Length == 0 && pairs.Count > 0)
        {
            _sketch = new double[Core.Model.JudgmentSketch.DefaultLength];
        }

        foreach (var pair in pairs)
        {
            Core.Model.JudgmentSketch.Add(_sketch, pair.Stored.ChosenItemId, 1);
            Core.Model.JudgmentSketch.Add(_sketch, pair.Stored.RejectedItemId, -1);
        }

        // Accumulated in float64 by the activation, stored as float32 (the sketch travels as float32 anyway).
        s.JudgmentSketch = ToFloats(_sketch);

        if (_model.Folded.Count > 0)
        {
            s.FoldedMean = ToFloats(_model.Folded.Mean);
            s.FoldedPrecision = PackedSymmetric.Pack(_model.Folded.Precision, _model.Folded.Mean.Length);
            s.FoldedCount = _model.Folded.Count;
        }

        // Which log entries the verbatim history now spans (the state keeps only where it starts).
        _historyEntries.Add((entry.Sequence, pairs.Count));
        (s.HistoryFromSequence, s.HistorySkip) = HistoryWindow.Trim(_historyEntries, _model.History.Count);

        s.ModelVersion = _evaluator.ModelVersion;
        s.FeedbackCount++;
        s.LogSequence = Math.Max(s.LogSequence, entry.Sequence);
        s.RecentFeedback.Add(entry.FeedbackId);
        TrimFront(s.RecentFeedback, RecentWindow);
    }

    private static void ValidateFeedbackId(string? feedbackId, string paramName)
    {
        if (string.IsNullOrWhiteSpace(feedbackId) || feedbackId.Length > MaxFeedbackIdLength)
        {
            throw new ArgumentException($"FeedbackId must be 1–{MaxFeedbackIdLength} characters.", paramName);
        }
    }

    private static void Validate(FeedbackItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ValidateFeedbackId(item.FeedbackId, nameof(item));

        if (item.Query is null || string.IsNullOrWhiteSpace(item.Chosen) || string.IsNullOrWhiteSpace(item.Rejected))
        {
            throw new ArgumentException($"Feedback {item.FeedbackId}: Query must be set and Chosen and Rejected must be non-empty.", nameof(item));
        }

        if (!(item.Weight > 0) || !double.IsFinite(item.Weight))
        {
            throw new ArgumentException($"Feedback {item.FeedbackId}: Weight must be positive and finite, got {item.Weight}.", nameof(item));
        }
    }

    private static void TrimFront<T>(List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
        }
    }

    private static float[] ToFloats(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }

    /// <summary>The item as scoring sees it: v = scale·u + o, with o empty for an item nobody judged.</summary>
    private ItemView View(ItemStats stats, double[] factorPrior) => ItemViews.From(stats, factorPrior, _evaluator.Model.ItemFactorPriorScale);

    private float[] ScaledPrior(double[] factorPrior)
    {
        double scale = _evaluator.Model.ItemFactorPriorScale;
        return Array.ConvertAll(factorPrior, x => (float)(scale * x));
    }

    private UserProfile Profile()
    {
        var s = state.State;
        return new UserProfile(
            _key,
            s.FeedbackCount,
            _model.History.Count,
            s.FoldedCount,
            s.StatedPreference is not null,
            _model.IsColdStart,
            _model.Scale,
            (double[])_model.Scheme.Clone(),
            s.Prototype,
            _evaluator.ModelVersion,
            _model.FittedCollaborativeScale);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Feedback {FeedbackId} already applied to {UserKey}; ignored")]
    private partial void LogDuplicateFeedback(string feedbackId, string userKey);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Applying feedback {FeedbackId} to {UserKey} failed; the activation reloads from storage")]
    private partial void LogFeedbackFailed(Exception exception, string feedbackId, string userKey);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "User {UserKey} deleted")]
    private partial void LogUserDeleted(string userKey);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "User {UserKey} replayed {Count} feedback-log entries its state lacked (now at sequence {Sequence})")]
    private partial void LogTailReplayed(string userKey, int count, long sequence);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "The state of {UserKey} met an ETag conflict on write {Attempt}; re-read and rebuilt from the row and the feedback log")]
    private partial void LogWriteConflict(string userKey, int attempt);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Error, Message = "User {UserKey} could not be reloaded from storage after a failed or duplicate append; the activation is dropped without a checkpoint")]
    private partial void LogReloadFailed(Exception exception, string userKey);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "The checkpoint of {UserKey} on deactivation failed; the next activation replays the feedback log")]
    private partial void LogCheckpointFailed(Exception exception, string userKey);
}

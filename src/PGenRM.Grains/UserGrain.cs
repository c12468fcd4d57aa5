using Microsoft.Extensions.Logging;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// One user's preference model (key "{tenant}/{user}"). Feedback is applied in one turn: encode, read both items'
/// statistics, update the <see cref="UserModel"/>, record the judgment on both item grains, write the state, and only
/// then acknowledge. The grain is not reentrant, so concurrent feedback for one user is applied one item at a time.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user", "users")] IPersistentState<UserState> state,
    EvaluatorHost evaluators,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    /// <summary>Feedback ids remembered for de-duplication; a retry older than this many items would apply twice.</summary>
    public const int FeedbackIdWindow = 1024;

    /// <summary>Longest accepted feedback id.</summary>
    public const int MaxFeedbackIdLength = 256;

    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
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
        if (state.RecordExists && s.ModelVersion is not null && s.ModelVersion != _evaluator.ModelVersion && (s.History.Count > 0 || s.FoldedCount > 0 || s.StatedPreference is not null))
        {
            // Stored vectors live in another feature space; fitting them here would be silently wrong.
            throw new InvalidOperationException(
                $"User {_key} was stored under model '{s.ModelVersion}' but this silo runs '{_evaluator.ModelVersion}'; migrate or delete the user.");
        }

        _recentIds.UnionWith(s.RecentFeedbackIds);
        await LoadMembershipAsync(cancellationToken);
        _model = Rebuild(s);
    }

    /// <inheritdoc />
    public async Task<FeedbackReceipt> ApplyFeedbackAsync(FeedbackItem item, CancellationToken cancellationToken = default)
    {
        Validate(item);
        var s = state.State;
        if (_recentIds.Contains(item.FeedbackId))
        {
            LogDuplicateFeedback(item.FeedbackId, _key);
            return new FeedbackReceipt(FeedbackStatus.Duplicate, s.FeedbackCount);
        }

        // Everything awaited before the first mutation: a failure here leaves the grain exactly as stored.
        var encoded = await _evaluator.EncodeAsync(item.Query, [item.Chosen, item.Rejected], [item.ChosenItemId, item.RejectedItemId], cancellationToken);
        var chosen = encoded.Candidates[0];
        var rejected = encoded.Candidates[1];
        if (chosen.ItemId == rejected.ItemId)
        {
            throw new ArgumentException($"Feedback {item.FeedbackId}: chosen and rejected are the same item ({chosen.ItemId}).", nameof(item));
        }

        var chosenStats = ItemGrain(chosen.ItemId).GetStatsAsync(cancellationToken);
        var rejectedStats = ItemGrain(rejected.ItemId).GetStatsAsync(cancellationToken);
        var chosenView = View(await chosenStats, chosen.FactorPrior);
        var rejectedView = View(await rejectedStats, rejected.FactorPrior);
        var pair = StoredPair.From(item.FeedbackId, CompactEvaluator.Evidence(encoded, chosenView, rejectedView, item.Weight), item.At);
        var receipt = await ApplyAndStoreAsync(
            item.FeedbackId,
            [new PendingPair(pair, chosen.FactorPrior, rejected.FactorPrior, new HistoryPair(item.FeedbackId, item.Query, item.Chosen, item.Rejected, item.At))],
            cancellationToken);
        await SyncMembershipAsync(updated: true, cancellationToken);
        return receipt;
    }

    /// <inheritdoc />
    public async Task<UserProfile> SetStatedPreferenceAsync(string statedPreference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(statedPreference);
        var vector = await _evaluator.StatedPreferenceAsync(statedPreference, cancellationToken: cancellationToken);
        try
        {
            // Last writer wins for the stated preference, but on the fresh state: a conflict re-reads and sets it again.
            SetStated(state.State);
            await state.WriteStateWithRetryAsync(
                fresh =>
                {
                    SetStated(fresh);
                    return true;
                },
                Reload,
                cancellationToken: cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        await SyncMembershipAsync(updated: true, cancellationToken);
        return Profile();

        void SetStated(UserState s)
        {
            _model.SetStatedPreference(vector);
            s.StatedPreference = vector;
            s.StatedPreferenceText = statedPreference;
            s.ModelVersion = _evaluator.ModelVersion;
        }
    }

    /// <inheritdoc />
    public Task<UserProfile> GetProfileAsync(CancellationToken cancellationToken = default) => Task.FromResult(Profile());

    /// <inheritdoc />
    public Task<UserExport> ExportAsync(CancellationToken cancellationToken = default)
    {
        var s = state.State;
        return Task.FromResult(new UserExport(
            Profile(),
            s.StatedPreferenceText,
            s.History.ConvertAll(h => new ExportedFeedback(h.FeedbackId, h.ChosenItemId, h.RejectedItemId, h.Weight, h.At)),
            s.RecentFeedbackIds.ToList()));
    }

    /// <inheritdoc />
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await RemoveFromItemJudgesAsync(cancellationToken);
        await LeavePrototypesAsync(cancellationToken);
        try
        {
            await state.ClearStateAsync(cancellationToken);
        }
        finally
        {
            // Whatever storage says now, this activation must not serve the deleted data again.
            DeactivateOnIdle();
        }

        state.State = new UserState();
        _recentIds.Clear();
        _model = Rebuild(state.State);
        LogUserDeleted(_key);
    }

    /// <summary>
    /// Applies one feedback operation (one id, one or more pairs) and stores it with one write: update the model and
    /// the state, record the judgments on the item grains, write. An ETag conflict re-reads the state and re-applies
    /// the operation unless the stored state already has its id (<see cref="PersistentStateWrites"/>).
    /// </summary>
    private async Task<FeedbackReceipt> ApplyAndStoreAsync(string feedbackId, IReadOnlyList<PendingPair> pairs, CancellationToken cancellationToken)
    {
        try
        {
            Apply(state.State, feedbackId, pairs);

            // The judgment ids are deterministic, so a retry after a failure below re-records them without double counting.
            var scheme = Array.ConvertAll(_model.Scheme, x => (float)x);
            await Task.WhenAll(pairs.SelectMany(p => RecordJudgments(p, scheme, cancellationToken)));
            var write = await state.WriteStateWithRetryAsync(
                fresh =>
                {
                    if (fresh.RecentFeedbackIds.Contains(feedbackId, StringComparer.Ordinal))
                    {
                        return false;
                    }

                    Apply(fresh, feedbackId, pairs);
                    return true;
                },
                Reload,
                cancellationToken: cancellationToken);
            if (write.Attempts > 1)
            {
                LogWriteConflict(feedbackId, _key, write.Attempts, write.Written);
            }

            return new FeedbackReceipt(write.Written ? FeedbackStatus.Applied : FeedbackStatus.Duplicate, state.State.FeedbackCount);
        }
        catch (Exception e)
        {
            // Memory is ahead of storage: drop the activation so the next call reloads what was stored (and the client's
            // retry with the same id applies the item again).
            LogFeedbackFailed(e, feedbackId, _key);
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Applies an operation's pairs to the model and to <paramref name="s"/> (memory only).</summary>
    private void Apply(UserState s, string feedbackId, IReadOnlyList<PendingPair> pairs)
    {
        if (pairs.Count == 1)
        {
            _model.Add(pairs[0].Stored.ToEvidence());
        }
        else
        {
            _model.AddRange(pairs.Select(p => p.Stored.ToEvidence()).ToList());
        }

        if (s.JudgmentSketch.Length == 0 && pairs.Count > 0)
        {
            s.JudgmentSketch = new double[Core.Model.JudgmentSketch.DefaultLength];
        }

        foreach (var pair in pairs)
        {
            if (pair.Texts is not null)
            {
                s.RecentTexts.Add(pair.Texts);
            }

            s.History.Add(pair.Stored);
            Core.Model.JudgmentSketch.Add(s.JudgmentSketch, pair.Stored.ChosenItemId, 1);
            Core.Model.JudgmentSketch.Add(s.JudgmentSketch, pair.Stored.RejectedItemId, -1);
        }

        TrimFront(s.History, _evaluator.Model.HistoryCapacity);
        TrimFront(s.RecentTexts, HistoryTextWindow);
        if (_model.Folded.Count > 0)
        {
            s.FoldedMean = ToFloats(_model.Folded.Mean);
            s.FoldedPrecision = ToFloats(_model.Folded.Precision);
            s.FoldedCount = _model.Folded.Count;
        }

        s.ModelVersion = _evaluator.ModelVersion;
        s.FeedbackCount++;
        _recentIds.Add(feedbackId);
        s.RecentFeedbackIds.Add(feedbackId);
        if (s.RecentFeedbackIds.Count > FeedbackIdWindow)
        {
            _recentIds.Remove(s.RecentFeedbackIds[0]);
            s.RecentFeedbackIds.RemoveAt(0);
        }
    }

    /// <summary>Rebuilds what the activation derives from its state after a re-read.</summary>
    private void Reload(UserState fresh)
    {
        _recentIds.Clear();
        _recentIds.UnionWith(fresh.RecentFeedbackIds);
        _model = Rebuild(fresh);
    }

    private IEnumerable<Task> RecordJudgments(PendingPair pair, float[] scheme, CancellationToken cancellationToken)
    {
        var stored = pair.Stored;
        string judgmentId = $"{_key}/{stored.FeedbackId}";
        var (chosenRest, rejectedRest) = Rests(stored.ToEvidence());
        var judgeKey = NeighbourKey();
        int? prototype = state.State.Prototype;
        yield return ItemGrain(stored.ChosenItemId).RecordJudgmentAsync(
            new ItemJudgment(judgmentId, _key, 1, scheme, ScaledPrior(pair.ChosenFactorPrior), chosenRest, stored.Weight, stored.At, judgeKey, prototype), cancellationToken);
        yield return ItemGrain(stored.RejectedItemId).RecordJudgmentAsync(
            new ItemJudgment(judgmentId, _key, -1, scheme, ScaledPrior(pair.RejectedFactorPrior), rejectedRest, stored.Weight, stored.At, judgeKey, prototype), cancellationToken);
    }

    private IItemGrain ItemGrain(string itemId) => GrainFactory.GetGrain<IItemGrain>(GrainKeys.Item(_tenant, itemId));

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

    private UserModel Rebuild(UserState s)
    {
        var prior = MembershipPrior(s);
        var model = new UserModel(prior, _evaluator.Model);
        if (s.History.Count == 0 && s.FoldedCount == 0 && s.StatedPreference is null)
        {
            return model;
        }

        var folded = s.FoldedCount > 0
            ? new FoldedEvidence(Array.ConvertAll(s.FoldedMean, x => (double)x), Array.ConvertAll(s.FoldedPrecision, x => (double)x), s.FoldedCount)
            : new FoldedEvidence(prior.Dimension);
        model.Restore(s.History.Select(h => h.ToEvidence()), folded, s.StatedPreference);
        return model;
    }

    /// <summary>The item as scoring sees it: v = scale·u + o, with o empty for an item nobody judged.</summary>
    private ItemView View(ItemStats stats, double[] factorPrior) => ItemViews.From(stats, factorPrior, _evaluator.Model.ItemFactorPriorScale);

    private float[] ScaledPrior(double[] factorPrior)
    {
        double scale = _evaluator.Model.ItemFactorPriorScale;
        return Array.ConvertAll(factorPrior, x => (float)(scale * x));
    }

    /// <summary>
    /// The margin parts each item does not own, at the updated scheme θ = [w; p] (as HybridTrainer.FitItems): for the
    /// chosen item w·Δx − (b_r + p·v_r), for the rejected one w·Δx + (b_c + p·v_c).
    /// </summary>
    private (double Chosen, double Rejected) Rests(PairEvidence evidence)
    {
        var theta = _model.Scheme;
        int d = evidence.ContentDiff.Length;
        double content = 0;
        for (int i = 0; i < d; i++)
        {
            content += theta[i] * evidence.ContentDiff[i];
        }

        double chosenScore = evidence.Chosen.Strength, rejectedScore = evidence.Rejected.Strength;
        for (int k = 0; k < evidence.Chosen.Factor.Length && d + k < theta.Length; k++)
        {
            chosenScore += theta[d + k] * evidence.Chosen.Factor[k];
            rejectedScore += theta[d + k] * evidence.Rejected.Factor[k];
        }

        return (content - rejectedScore, content + chosenScore);
    }

    private UserProfile Profile()
    {
        var s = state.State;
        return new UserProfile(
            _key,
            s.FeedbackCount,
            s.History.Count,
            s.FoldedCount,
            s.StatedPreference is not null,
            _model.IsColdStart,
            _model.Scale,
            (double[])_model.Scheme.Clone(),
            s.Prototype,
            _evaluator.ModelVersion);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Feedback {FeedbackId} already applied to {UserKey}; ignored")]
    private partial void LogDuplicateFeedback(string feedbackId, string userKey);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Applying feedback {FeedbackId} to {UserKey} failed; the activation reloads from storage")]
    private partial void LogFeedbackFailed(Exception exception, string feedbackId, string userKey);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "User {UserKey} deleted")]
    private partial void LogUserDeleted(string userKey);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Feedback {FeedbackId} for {UserKey} met an ETag conflict; re-read and stored after {Attempts} writes (written by this call: {Written})")]
    private partial void LogWriteConflict(string feedbackId, string userKey, int attempts, bool written);
}

using Microsoft.Extensions.Logging;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// One response's statistics. Judgments arrive in batches from the silos' derived-statistics pipelines
/// (<see cref="Derived.DerivedStatsPipeline"/>): each adds an item-side observation, and the batch refits φ = [b; o] once
/// with <see cref="SchemeLearner.FitItem"/>, warm-started at the current φ, over the last <see cref="ObservationCapacity"/>
/// observations plus the folded summary of older ones (the same online update the offline trainer runs in rounds).
/// </summary>
/// <remarks>
/// Written behind: a popular item receives judgments faster than one row can be rewritten each time, so applied
/// judgments are stored every <see cref="WriteEveryJudgments"/> judgments, on the tenant's next write-behind tick (every
/// <see cref="WriteBehindPeriod"/>, at the same instants for all items of a tenant, so that their writes meet in the
/// "items" storage's per-partition transactions: <see cref="Storage.BucketedTableStorage"/>) and on deactivation. A silo crash loses at most what was unwritten; <c>rebuild</c> replays the feedback logs into the items
/// (docs/RELIABILITY.md). Reads are <c>[ReadOnly]</c> and see the applied (not only the stored) statistics.
/// </remarks>
public sealed partial class ItemGrain(
    [PersistentState("item", "items")] IPersistentState<ItemState> state,
    SiloEvaluator evaluators,
    ILogger<ItemGrain> logger) : Grain, IItemGrain
{
    /// <summary>Observations kept verbatim; older ones are folded (the fit cost and the stored size stay bounded).</summary>
    public const int ObservationCapacity = 256;

    /// <summary>Judgment ids remembered for de-duplication (retries arrive soon after the original).</summary>
    public const int JudgmentIdWindow = 1024;

    /// <summary>
    /// Recent judges kept for the prototype level. Each entry carries the judge's scheme and key (several hundred floats),
    /// so the list is short enough that the stored item stays well under Table storage's entity limit.
    /// </summary>
    public const int RecentJudgeCapacity = 32;

    /// <summary>Longest accepted judge sketch (the judgment sketch has 256 values).</summary>
    public const int MaxSketchLength = 4096;

    /// <summary>Applied judgments after which the item is written at once rather than on the next timer tick.</summary>
    public const int WriteEveryJudgments = 256;

    /// <summary>Spacing of a tenant's write-behind ticks: the longest time applied judgments stay unwritten while the activation lives (a failed write is retried on the next tick).</summary>
    public static readonly TimeSpan WriteBehindPeriod = TimeSpan.FromSeconds(5);

    private readonly HashSet<string> _judgmentIds = new(StringComparer.Ordinal);

    // Applied in memory since the last successful write, oldest first: re-applied to a fresh row after an ETag conflict.
    private readonly List<ItemJudgment> _unwritten = [];
    private FoldedEvidence? _folded;
    private IGrainTimer? _timer;
    private bool _deactivating;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Reload(state.State);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        _timer?.Dispose();
        await WriteBehindAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ItemStats> RecordJudgmentAsync(ItemJudgment judgment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judgment);
        var model = (await evaluators.GetAsync(cancellationToken)).Model;
        Validate(judgment, model.FactorDimension);
        if (_judgmentIds.Contains(judgment.JudgmentId))
        {
            LogDuplicateJudgment(judgment.JudgmentId, this.GetPrimaryKeyString());
            return Stats();
        }

        ApplyBatch(state.State, [judgment], model, remember: true);
        await WriteNowAsync(null, model, cancellationToken);
        return Stats();
    }

    /// <inheritdoc />
    public async Task ApplyJudgmentsAsync(ItemJudgmentBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(batch.Judgments);
        var model = (await evaluators.GetAsync(cancellationToken)).Model;
        var valid = new List<ItemJudgment>(batch.Judgments.Count);
        foreach (var judgment in batch.Judgments)
        {
            try
            {
                Validate(judgment, model.FactorDimension);
                valid.Add(judgment);
            }
            catch (ArgumentException e)
            {
                // Built by a user grain, so a bad one is a bug: the rest of the batch is still applied.
                LogInvalidJudgment(e, judgment?.JudgmentId ?? "(null)", this.GetPrimaryKeyString());
            }
        }

        ApplyBatch(state.State, valid, model, remember: true);
        if (_unwritten.Count >= WriteEveryJudgments)
        {
            await WriteBehindAsync(cancellationToken);
        }

        ScheduleWriteBehind();
    }

    /// <summary>
    /// A one-shot timer while judgments are unwritten: an item with nothing to write has no timer (a silo holds many
    /// items; a periodic timer each would be that many turns every period for nothing). It fires at the tenant's next
    /// tick (<see cref="UntilNextTick"/>), not a period after this item's first unwritten judgment: the items of a tenant
    /// then write together and their rows share transactions.
    /// </summary>
    private void ScheduleWriteBehind()
    {
        if (_unwritten.Count == 0 || _timer is not null)
        {
            return;
        }

        _timer = this.RegisterGrainTimer(
            static async (self, ct) =>
            {
                // Disposed after the write: disposing a grain timer cancels the token its running callback got.
                await self.WriteBehindAsync(ct);
                self._timer?.Dispose();
                self._timer = null;
                self.ScheduleWriteBehind();
            },
            this,
            new GrainTimerCreationOptions { DueTime = UntilNextTick(GrainKeys.Parse(this.GetPrimaryKeyString()).Tenant, DateTimeOffset.UtcNow), Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = false });
    }

    /// <summary>
    /// Time from <paramref name="now"/> to the tenant's next write-behind tick: the ticks are every
    /// <see cref="WriteBehindPeriod"/>, shifted per tenant by a stable hash of its id (tenants do not all write at the
    /// same instant). At most one period, more than zero.
    /// </summary>
    public static TimeSpan UntilNextTick(string tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        long period = WriteBehindPeriod.Ticks;
        long offset = Storage.BucketedTableStorage.Bucket(tenant, 1 << 30) % period;
        long into = (now.UtcTicks + offset) % period;
        return TimeSpan.FromTicks(period - into);
    }

    /// <inheritdoc />
    public Task<ItemStats> GetStatsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Stats());

    /// <inheritdoc />
    public Task<ItemStats?> GetStatsIfChangedAsync(long version, CancellationToken cancellationToken = default) =>
        Task.FromResult(version == state.State.Version ? null : Stats());

    /// <inheritdoc />
    public async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        if (_unwritten.Count > 0)
        {
            await WriteNowAsync(null, (await evaluators.GetAsync(cancellationToken)).Model, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        // The version moves on (never back), so no cache holds the reset item under a version it had before.
        long version = state.State.Version + 1;
        state.State = new ItemState { Version = version };
        _unwritten.Clear();
        Reload(state.State);
        try
        {
            await state.WriteStateWithRetryAsync(
                fresh =>
                {
                    state.State = new ItemState { Version = Math.Max(version, fresh.Version + 1) };
                    return true;
                },
                cancellationToken: cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        Reload(state.State);
    }

    /// <inheritdoc />
    public Task<ItemStats> GetScoringStatsAsync(float[] userSketch, string excludeJudgeId, int n, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userSketch);
        ArgumentNullException.ThrowIfNull(excludeJudgeId);
        if (n < 0)
        {
            throw new ArgumentException($"n must be non-negative, got {n}.", nameof(n));
        }

        return Task.FromResult(Stats(NearestJudges(userSketch, excludeJudgeId, n)));
    }

    /// <inheritdoc />
    public async Task<bool> RemoveJudgeAsync(string judgeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judgeId);
        if (!RemoveJudge(state.State, judgeId))
        {
            return false;
        }

        // Stored at once (with whatever is unwritten): a deleted user must not come back with a reactivation.
        await WriteNowAsync(fresh => RemoveJudge(fresh, judgeId), (await evaluators.GetAsync(cancellationToken)).Model, cancellationToken);
        return true;
    }

    /// <summary>The timer's and the deactivation's write: failures are logged, and the judgments stay unwritten for the next try.</summary>
    private async Task WriteBehindAsync(CancellationToken cancellationToken)
    {
        if (_unwritten.Count == 0)
        {
            return;
        }

        try
        {
            await WriteNowAsync(null, (await evaluators.GetAsync(cancellationToken)).Model, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWriteBehindFailed(e, this.GetPrimaryKeyString(), _unwritten.Count);
        }
    }

    /// <summary>
    /// Writes the state. On an ETag conflict the row is re-read and the unwritten judgments (those the fresh row lacks)
    /// and <paramref name="extra"/> are applied to it again, never written over it. A failure leaves the activation to
    /// be reloaded from storage on its next call.
    /// </summary>
    private async Task WriteNowAsync(Func<ItemState, bool>? extra, HybridModelOptions model, CancellationToken cancellationToken)
    {
        try
        {
            var write = await state.WriteStateWithRetryAsync(
                fresh =>
                {
                    var missing = _unwritten.Where(j => !fresh.RecentJudgmentIds.Contains(j.JudgmentId, StringComparer.Ordinal)).ToList();
                    ApplyBatch(fresh, missing, model, remember: false);
                    bool changed = missing.Count > 0;
                    if (extra is not null)
                    {
                        changed |= extra(fresh);
                    }

                    return changed;
                },
                Reload,
                cancellationToken: cancellationToken);
            if (write.Attempts > 1)
            {
                LogWriteConflict(this.GetPrimaryKeyString(), write.Attempts, write.Written);
            }

            _unwritten.Clear();
        }
        catch
        {
            // The in-memory state is ahead of storage now; reload it on the next call instead of serving it (a
            // deactivating activation is on its way out already: asking again only makes Orleans warn).
            if (!_deactivating)
            {
                DeactivateOnIdle();
            }

            throw;
        }
    }

    /// <summary>
    /// Records <paramref name="judgments"/> (those not recorded yet) in <paramref name="s"/> and in what the activation
    /// derives from it (the folded evidence and the id set): adds each observation, folds the oldest beyond capacity,
    /// updates the tallies, recent judges and the de-duplication window, then refits [b; o] once and moves the version.
    /// <paramref name="remember"/>: keep them for the next write (false when re-applying them to a re-read row). Memory only.
    /// </summary>
    private void ApplyBatch(ItemState s, IReadOnlyList<ItemJudgment> judgments, HybridModelOptions model, bool remember)
    {
        int f = model.FactorDimension;
        var current = Current(s, f);
        int applied = 0;
        foreach (var judgment in judgments)
        {
            if (_judgmentIds.Contains(judgment.JudgmentId))
            {
                LogDuplicateJudgment(judgment.JudgmentId, this.GetPrimaryKeyString());
                continue;
            }

            Add(s, judgment, f, current);
            applied++;
            if (remember)
            {
                _unwritten.Add(judgment);
            }
        }

        if (applied == 0)
        {
            return;
        }

        var fit = SchemeLearner.FitItem(s.Observations.ConvertAll(o => o.ToObservation()), model, _folded, current);
        s.Strength = fit.Mean[0];
        s.FactorOffset = fit.Mean[1..];
        if (_folded is not null)
        {
            s.FoldedMean = _folded.Mean.ToArray();
            s.FoldedPrecision = _folded.Precision.ToArray();
            s.FoldedCount = _folded.Count;
        }

        s.Version++;
    }

    /// <summary>One judgment's observation, tallies, judge entry and id; folds at <paramref name="current"/> (the fit before the batch).</summary>
    private void Add(ItemState s, ItemJudgment judgment, int f, double[] current)
    {
        var scheme = Array.ConvertAll(judgment.JudgeScheme, x => (double)x);
        var u = Array.ConvertAll(judgment.FactorPrior, x => (double)x);
        var observation = SchemeLearner.ItemObservation(judgment.Sign, SchemeLearner.FactorOf(scheme, f), u, judgment.Rest, judgment.Weight);
        s.Observations.Add(StoredObservation.From(observation));
        while (s.Observations.Count > ObservationCapacity)
        {
            _folded ??= new FoldedEvidence(1 + f);
            _folded.Fold(s.Observations[0].ToObservation(), current);
            s.Observations.RemoveAt(0);
        }

        var tally = s.PrototypeTallies.Find(t => t.Prototype == judgment.JudgePrototype);
        if (tally is null)
        {
            tally = new StoredTally { Prototype = judgment.JudgePrototype };
            s.PrototypeTallies.Add(tally);
        }

        if (judgment.Sign > 0)
        {
            s.Wins++;
            tally.Wins++;
        }
        else
        {
            s.Losses++;
            tally.Losses++;
        }

        s.RecentJudges.Add(new StoredJudge
        {
            JudgeId = judgment.JudgeId,
            Sign = judgment.Sign,
            At = judgment.At,
            Prototype = judgment.JudgePrototype,
            Scheme = judgment.JudgeScheme,
            Sketch = judgment.JudgeSketch ?? [],
        });
        TrimFront(s.RecentJudges, RecentJudgeCapacity);
        _judgmentIds.Add(judgment.JudgmentId);
        s.RecentJudgmentIds.Add(judgment.JudgmentId);
        if (s.RecentJudgmentIds.Count > JudgmentIdWindow)
        {
            _judgmentIds.Remove(s.RecentJudgmentIds[0]);
            s.RecentJudgmentIds.RemoveAt(0);
        }
    }

    /// <summary>Drops every recent-judge entry of <paramref name="judgeId"/>; false when it had none.</summary>
    private static bool RemoveJudge(ItemState s, string judgeId) =>
        s.RecentJudges.RemoveAll(j => string.Equals(j.JudgeId, judgeId, StringComparison.Ordinal)) > 0;

    /// <summary>Rebuilds what the activation derives from the stored state: the id set and the folded evidence.</summary>
    private void Reload(ItemState s)
    {
        _judgmentIds.Clear();
        _judgmentIds.UnionWith(s.RecentJudgmentIds);
        _folded = s.FoldedCount > 0
            ? new FoldedEvidence((double[])s.FoldedMean.Clone(), (double[])s.FoldedPrecision.Clone(), s.FoldedCount)
            : null;
    }

    private static double[] Current(ItemState s, int f)
    {
        var current = new double[1 + f];
        current[0] = s.Strength;
        if (s.FactorOffset.Length == f)
        {
            Array.Copy(s.FactorOffset, 0, current, 1, f);
        }

        return current;
    }

    private static void Validate(ItemJudgment judgment, int f)
    {
        if (judgment.Sign is not (1 or -1))
        {
            throw new ArgumentException($"Sign must be +1 or −1, got {judgment.Sign}.", nameof(judgment));
        }

        // The judge's scheme ends with [p; δ] (F + 1 values; none without a factor block).
        int tail = f == 0 ? 0 : f + 1;
        if (judgment.JudgeScheme.Length < tail || judgment.FactorPrior.Length != f || !judgment.JudgeScheme.All(float.IsFinite))
        {
            throw new ArgumentException(
                $"Expected a judge scheme of at least {tail} finite values and a factor prior of {f}; got {judgment.JudgeScheme.Length} and {judgment.FactorPrior.Length}.",
                nameof(judgment));
        }

        if (!double.IsFinite(judgment.Rest) || !(judgment.Weight > 0) || !double.IsFinite(judgment.Weight))
        {
            throw new ArgumentException("Rest must be finite and Weight positive and finite.", nameof(judgment));
        }

        if (judgment.JudgeSketch is { } key && (key.Length > MaxSketchLength || !key.All(float.IsFinite)))
        {
            throw new ArgumentException($"JudgeSketch must hold at most {MaxSketchLength} finite values.", nameof(judgment));
        }
    }

    private static void TrimFront<T>(List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
        }
    }

    /// <summary>
    /// The distinct judges most similar to <paramref name="userSketch"/>, as ScaledScorer.JudgesOf picks them in the evaluation
    /// (most similar first, ties by id), each with its latest entry's scheme and key.
    /// </summary>
    private List<ItemJudge> NearestJudges(float[] userSketch, string excludeJudgeId, int n)
    {
        var latest = new Dictionary<string, StoredJudge>(StringComparer.Ordinal);
        foreach (var judge in state.State.RecentJudges)
        {
            if (!string.Equals(judge.JudgeId, excludeJudgeId, StringComparison.Ordinal) && judge.Scheme.Length > 0)
            {
                latest[judge.JudgeId] = judge;
            }
        }

        return SimilarityRanking.Rank(latest.Values, j => j.JudgeId, j => VectorSimilarity.Cosine(j.Sketch, userSketch), n)
            .Select(j => new ItemJudge(j.Item.JudgeId, j.Item.Sign, j.Item.At, j.Item.Prototype, j.Item.Scheme, j.Item.Sketch))
            .ToList();
    }

    private ItemStats Stats(List<ItemJudge>? nearest = null)
    {
        var s = state.State;
        return new ItemStats(
            s.Strength,
            (double[])s.FactorOffset.Clone(),
            s.Wins,
            s.Losses,
            s.RecentJudges.ConvertAll(j => new ItemJudge(j.JudgeId, j.Sign, j.At, j.Prototype)),
            s.PrototypeTallies.ConvertAll(t => new PrototypeTally(t.Prototype, t.Wins, t.Losses)),
            nearest ?? [],
            s.Version);
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "{ItemKey}: ETag conflict, stored after {Attempts} writes (written by this call: {Written})")]
    private partial void LogWriteConflict(string itemKey, int attempts, bool written);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "{ItemKey}: writing {Count} applied judgments behind failed; retried on the next tick (lost with the activation: 'rebuild' repairs)")]
    private partial void LogWriteBehindFailed(Exception exception, string itemKey, int count);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "Judgment {JudgmentId} for {ItemKey} is invalid and was not applied")]
    private partial void LogInvalidJudgment(Exception exception, string judgmentId, string itemKey);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Judgment {JudgmentId} already recorded on {ItemKey}; ignored")]
    private partial void LogDuplicateJudgment(string judgmentId, string itemKey);
}

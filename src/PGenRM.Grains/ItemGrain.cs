using Microsoft.Extensions.Logging;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// One response's statistics. Each judgment adds an item-side observation and refits φ = [b; o] with
/// <see cref="SchemeLearner.FitItem"/>, warm-started at the current φ, over the last <see cref="ObservationCapacity"/>
/// observations plus the folded summary of older ones (the same online update the offline trainer runs in rounds).
/// </summary>
public sealed partial class ItemGrain(
    [PersistentState("item", "items")] IPersistentState<ItemState> state,
    EvaluatorHost evaluators,
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

    /// <summary>Longest accepted judge key (the judgment sketch has 256 values).</summary>
    public const int MaxKeyLength = 4096;

    private readonly HashSet<string> _judgmentIds = new(StringComparer.Ordinal);
    private FoldedEvidence? _folded;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Reload(state.State);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ItemStats> RecordJudgmentAsync(ItemJudgment judgment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judgment);
        if (_judgmentIds.Contains(judgment.JudgmentId))
        {
            LogDuplicateJudgment(judgment.JudgmentId, this.GetPrimaryKeyString());
            return Stats();
        }

        var model = (await evaluators.GetAsync(cancellationToken)).Model;
        int f = model.FactorDimension;
        Validate(judgment, f);

        try
        {
            Apply(state.State, judgment, model);

            // On an ETag conflict: re-read, and record the judgment again on the fresh state unless it is there already.
            var write = await state.WriteStateWithRetryAsync(
                fresh =>
                {
                    if (fresh.RecentJudgmentIds.Contains(judgment.JudgmentId, StringComparer.Ordinal))
                    {
                        return false;
                    }

                    Apply(fresh, judgment, model);
                    return true;
                },
                Reload,
                cancellationToken: cancellationToken);
            LogConflict(write, judgment.JudgmentId);
        }
        catch
        {
            // The in-memory state is ahead of storage now; reload it on the next call instead of serving it.
            DeactivateOnIdle();
            throw;
        }

        return Stats();
    }

    /// <inheritdoc />
    public Task<ItemStats> GetStatsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Stats());

    /// <inheritdoc />
    public Task<ItemStats> GetScoringStatsAsync(float[] userKey, string excludeJudgeId, int n, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        ArgumentNullException.ThrowIfNull(excludeJudgeId);
        if (n < 0)
        {
            throw new ArgumentException($"n must be non-negative, got {n}.", nameof(n));
        }

        return Task.FromResult(Stats(NearestJudges(userKey, excludeJudgeId, n)));
    }

    /// <inheritdoc />
    public async Task<bool> RemoveJudgeAsync(string judgeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judgeId);
        try
        {
            if (!RemoveJudge(state.State, judgeId))
            {
                return false;
            }

            // On a conflict the judge is removed again from the fresh state (nothing to write when it is gone there too).
            await state.WriteStateWithRetryAsync(fresh => RemoveJudge(fresh, judgeId), Reload, cancellationToken: cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        return true;
    }

    /// <summary>
    /// Records <paramref name="judgment"/> in <paramref name="s"/> and in what the activation derives from it (the folded
    /// evidence and the id set): adds the observation, folds the oldest beyond capacity, refits [b; o], and updates the
    /// tallies, recent judges and the de-duplication window. Memory only.
    /// </summary>
    private void Apply(ItemState s, ItemJudgment judgment, HybridModelOptions model)
    {
        int f = model.FactorDimension;
        var p = new double[f];
        for (int k = 0; k < f; k++)
        {
            p[k] = judgment.JudgeScheme[judgment.JudgeScheme.Length - f + k];
        }

        var u = Array.ConvertAll(judgment.FactorPrior, x => (double)x);
        var observation = SchemeLearner.ItemObservation(judgment.Sign, p, u, judgment.Rest, judgment.Weight);
        var current = Current(s, f);
        s.Observations.Add(StoredObservation.From(observation));
        while (s.Observations.Count > ObservationCapacity)
        {
            _folded ??= new FoldedEvidence(1 + f);
            _folded.Fold(s.Observations[0].ToObservation(), current);
            s.Observations.RemoveAt(0);
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
            Key = judgment.JudgeKey ?? [],
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

    private void LogConflict(StateWriteResult write, string judgmentId)
    {
        if (write.Attempts > 1)
        {
            LogWriteConflict(judgmentId, this.GetPrimaryKeyString(), write.Attempts, write.Written);
        }
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

        if (judgment.JudgeScheme.Length < f || judgment.FactorPrior.Length != f)
        {
            throw new ArgumentException(
                $"Expected a judge scheme of at least {f} values and a factor prior of {f}; got {judgment.JudgeScheme.Length} and {judgment.FactorPrior.Length}.",
                nameof(judgment));
        }

        if (!double.IsFinite(judgment.Rest) || !(judgment.Weight > 0) || !double.IsFinite(judgment.Weight))
        {
            throw new ArgumentException("Rest must be finite and Weight positive and finite.", nameof(judgment));
        }

        if (judgment.JudgeKey is { } key && (key.Length > MaxKeyLength || !key.All(float.IsFinite)))
        {
            throw new ArgumentException($"JudgeKey must hold at most {MaxKeyLength} finite values.", nameof(judgment));
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
    /// The distinct judges most similar to <paramref name="userKey"/>, as ScaledScorer.JudgesOf picks them in the evaluation
    /// (most similar first, ties by id), each with its latest entry's scheme and key.
    /// </summary>
    private List<ItemJudge> NearestJudges(float[] userKey, string excludeJudgeId, int n)
    {
        var latest = new Dictionary<string, StoredJudge>(StringComparer.Ordinal);
        foreach (var judge in state.State.RecentJudges)
        {
            if (!string.Equals(judge.JudgeId, excludeJudgeId, StringComparison.Ordinal) && judge.Scheme.Length > 0)
            {
                latest[judge.JudgeId] = judge;
            }
        }

        return SimilarityRanking.Rank(latest.Values, j => j.JudgeId, j => NeighbourKeys.Similarity(j.Key, userKey), n)
            .Select(j => new ItemJudge(j.Item.JudgeId, j.Item.Sign, j.Item.At, j.Item.Prototype, j.Item.Scheme, j.Item.Key))
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
            nearest ?? []);
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Judgment {JudgmentId} on {ItemKey}: ETag conflict, stored after {Attempts} writes (written by this call: {Written})")]
    private partial void LogWriteConflict(string judgmentId, string itemKey, int attempts, bool written);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Judgment {JudgmentId} already recorded on {ItemKey}; ignored")]
    private partial void LogDuplicateJudgment(string judgmentId, string itemKey);
}

using Microsoft.Extensions.Logging;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

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

    /// <summary>Recent judges kept for the prototype level.</summary>
    public const int RecentJudgeCapacity = 64;

    private readonly HashSet<string> _judgmentIds = new(StringComparer.Ordinal);
    private FoldedEvidence? _folded;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        _judgmentIds.UnionWith(s.RecentJudgmentIds);
        if (s.FoldedCount > 0)
        {
            _folded = new FoldedEvidence((double[])s.FoldedMean.Clone(), (double[])s.FoldedPrecision.Clone(), s.FoldedCount);
        }

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

        var s = state.State;
        try
        {
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

            if (judgment.Sign > 0)
            {
                s.Wins++;
            }
            else
            {
                s.Losses++;
            }

            s.RecentJudges.Add(new StoredJudge { JudgeId = judgment.JudgeId, Sign = judgment.Sign, At = judgment.At });
            TrimFront(s.RecentJudges, RecentJudgeCapacity);
            _judgmentIds.Add(judgment.JudgmentId);
            s.RecentJudgmentIds.Add(judgment.JudgmentId);
            if (s.RecentJudgmentIds.Count > JudgmentIdWindow)
            {
                _judgmentIds.Remove(s.RecentJudgmentIds[0]);
                s.RecentJudgmentIds.RemoveAt(0);
            }

            await state.WriteStateAsync(cancellationToken);
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
    }

    private static void TrimFront<T>(List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
        }
    }

    private ItemStats Stats()
    {
        var s = state.State;
        return new ItemStats(
            s.Strength,
            (double[])s.FactorOffset.Clone(),
            s.Wins,
            s.Losses,
            s.RecentJudges.ConvertAll(j => new ItemJudge(j.JudgeId, j.Sign, j.At)));
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Judgment {JudgmentId} already recorded on {ItemKey}; ignored")]
    private partial void LogDuplicateJudgment(string judgmentId, string itemKey);
}

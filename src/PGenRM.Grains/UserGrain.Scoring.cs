using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>The user grain's part in scoring: the individual level for the scoring worker, and the judge entries it leaves on items.</summary>
public sealed partial class UserGrain
{
    /// <summary>Most individual-level schemes one request may ask for (as TenantSettings.M).</summary>
    public const int MaxSchemes = RequestLimits.MaxSchemes;

    /// <inheritdoc />
    public async Task<UserSchemes> GetSchemesAsync(SchemeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.QueryEmbedding is null || request.QueryEmbedding.Length == 0)
        {
            throw new ArgumentException("QueryEmbedding must be set.", nameof(request));
        }

        if (request.M is < 1 or > MaxSchemes)
        {
            throw new ArgumentException($"M must be 1–{MaxSchemes}, got {request.M}.", nameof(request));
        }

        if (string.IsNullOrEmpty(request.SeedKey))
        {
            throw new ArgumentException("SeedKey must be set.", nameof(request));
        }

        // A re-clustering since the last call changes the user's prior (its prototype's centroid): in memory only, a pure
        // read (the move, if any, waits for the user's next update).
        await RefreshPriorAsync(cancellationToken);

        // The same call CompactEvaluator.Evaluate(UserModel, ...) makes, so the worker and the library get the same schemes.
        var scaling = evaluators.Scaling with { M = request.M };
        var schemes = TestTimeScaler.IndividualSchemes(
            _model.Scheme, _model.Prior, _model.Scale, _model.HistoryEntries(), request.QueryEmbedding, scaling, _evaluator.Model, request.SeedKey,
            _model.TenantCollaborativeScale);
        var s = state.State;
        return new UserSchemes(
            schemes.Select(x => (double[])x.Clone()).ToList(),
            _model.IsColdStart,
            s.Prototype,
            SketchFloats(),
            s.FeedbackCount,
            _evaluator.ModelVersion,
            (double[])_model.Scheme.Clone());
    }

    /// <summary>The user's judgment sketch as float32 (empty before the first pair).</summary>
    private float[] SketchFloats() => ToFloats(_sketch);

    /// <summary>Takes the user off the recent-judge lists of the items in its kept history (before its state is cleared).</summary>
    private Task RemoveFromItemJudgesAsync(CancellationToken cancellationToken)
    {
        var items = _model.History
            .SelectMany(h => new[] { h.ChosenItemId, h.RejectedItemId })
            .Where(GrainKeys.IsValidEntity)
            .Distinct(StringComparer.Ordinal);
        return Task.WhenAll(items.Select(item =>
            GrainFactory.GetGrain<IItemGrain>(GrainKeys.Item(_tenant, item)).RemoveJudgeAsync(_key, cancellationToken)));
    }
}

using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>The user's recent pairs with texts (for the LLM judge's prompt).</summary>
public sealed partial class UserGrain
{
    /// <summary>Pairs whose texts the user state keeps (the judge picks h = 3 of them by relevance).</summary>
    public const int HistoryTextWindow = 16;

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryPair>> GetHistoryPairsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var texts = state.State.RecentTexts;
        IReadOnlyList<HistoryPair> newestFirst = texts.Skip(Math.Max(0, texts.Count - count)).Reverse().ToList();
        return Task.FromResult(newestFirst);
    }
}

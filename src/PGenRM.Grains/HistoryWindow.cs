namespace PGenRM.Grains;

/// <summary>
/// Which feedback-log entries a user's verbatim history spans. The model keeps its newest pairs and folds older ones;
/// an operation (a rating set) can give several pairs, so the oldest entry the window touches may be only partly in it.
/// The state stores where the window starts and how many of that entry's pairs were already folded, so an activation
/// reads exactly the pairs the model had.
/// </summary>
internal static class HistoryWindow
{
    /// <summary>
    /// Drops from <paramref name="entries"/> (oldest first, each with its pair count) the entries wholly older than the
    /// newest <paramref name="kept"/> pairs, and returns the first remaining entry's sequence (0 when nothing is kept)
    /// and how many of its pairs lie before the window.
    /// </summary>
    public static (long FromSequence, int Skip) Trim(List<(long Sequence, int Pairs)> entries, int kept)
    {
        int covered = 0, first = entries.Count;
        while (first > 0 && covered < kept)
        {
            covered += entries[--first].Pairs;
        }

        entries.RemoveRange(0, first);
        return kept > 0 ? (entries[0].Sequence, covered - kept) : (0, 0);
    }
}

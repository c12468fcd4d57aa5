namespace PGenRM.Core.Model;

/// <summary>
/// The one ranking of neighbours and judges (the prototype pool, an item's nearest judges, the evaluation's judges):
/// most similar first, ties by id in ordinal order, so the same inputs always give the same neighbours on every silo
/// and in the library evaluation.
/// </summary>
public static class SimilarityRanking
{
    /// <summary>Up to <paramref name="n"/> of <paramref name="items"/>, most similar first, ties by id (ordinal).</summary>
    /// <param name="items">The candidates (already without the user being scored).</param>
    /// <param name="id">Each candidate's id: the tie-break.</param>
    /// <param name="similarity">Each candidate's similarity (computed once per candidate).</param>
    /// <param name="n">How many to keep; more than there are keeps them all.</param>
    public static List<(T Item, double Similarity)> Rank<T>(IEnumerable<T> items, Func<T, string> id, Func<T, double> similarity, int n = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var scored = items.Select(item => (Item: item, Id: id(item), Similarity: similarity(item))).ToList();
        scored.Sort(static (x, y) =>
        {
            int bySimilarity = y.Similarity.CompareTo(x.Similarity);
            return bySimilarity != 0 ? bySimilarity : string.CompareOrdinal(x.Id, y.Id);
        });
        return scored.Take(n).Select(s => (s.Item, s.Similarity)).ToList();
    }
}

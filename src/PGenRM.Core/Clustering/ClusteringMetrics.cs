namespace PGenRM.Core.Clustering;

/// <summary>Measures of agreement between two clusterings of the same points.</summary>
public static class ClusteringMetrics
{
    /// <summary>
    /// Adjusted Rand index (Hubert &amp; Arabie 1985): pair-counting agreement corrected for chance. 1 for identical
    /// partitions (label names do not matter), about 0 for independent ones, negative when worse than chance.
    /// Degenerate inputs where the index is 0/0 (fewer than two points, or both labelings all-in-one or all-singletons,
    /// which are then the same partition) return 1.
    /// </summary>
    /// <param name="a">Cluster label of each point.</param>
    /// <param name="b">Cluster label of each point under the other clustering; same length as <paramref name="a"/>.</param>
    /// <exception cref="ArgumentException">The labelings have different lengths.</exception>
    public static double AdjustedRandIndex(int[] a, int[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Labelings differ in length ({a.Length} vs {b.Length}).", nameof(b));
        }

        var n = a.Length;
        if (n < 2)
        {
            return 1.0;
        }

        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        var cells = new Dictionary<(int, int), long>();
        for (var i = 0; i < n; i++)
        {
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
        }

        var index = cells.Values.Sum(PairCount);
        var rowPairs = rows.Values.Sum(PairCount);
        var columnPairs = columns.Values.Sum(PairCount);
        var expected = rowPairs * columnPairs / PairCount(n);
        var maximum = 0.5 * (rowPairs + columnPairs);
        var denominator = maximum - expected;

        // 0/0 happens only when both partitions are the same trivial one (see the summary).
        return denominator == 0.0 ? 1.0 : (index - expected) / denominator;
    }

    private static double PairCount(long count) => count * (count - 1) / 2.0;
}

namespace PGenRM.Core.Chains;

/// <summary>Integer percentages that sum to exactly 100 (largest-remainder rounding, every item at least 1%).</summary>
internal static class PercentAllocator
{
    /// <summary>
    /// Allocates 100 percentage points in proportion to <paramref name="magnitudes"/> (non-negative, finite, 1 to 100
    /// of them; all zero means equal shares). Floors are topped up by largest fractional remainder, ties to the lower
    /// index; an item that rounds to 0 gets 1, taken from the last of the largest items. For magnitudes sorted in
    /// descending order the result is non-increasing as well.
    /// </summary>
    public static int[] Allocate(ReadOnlySpan<double> magnitudes)
    {
        var k = magnitudes.Length;
        if (k is < 1 or > 100)
        {
            throw new ArgumentException($"Between 1 and 100 weights can share 100 percent (got {k}).", nameof(magnitudes));
        }

        var max = 0.0;
        foreach (var m in magnitudes)
        {
            if (!double.IsFinite(m) || m < 0)
            {
                throw new ArgumentException($"Weight magnitudes must be finite and non-negative (got {m}).", nameof(magnitudes));
            }

            max = Math.Max(max, m);
        }

        // Dividing by the largest first keeps the sum finite even for weights near double.MaxValue.
        var scaled = new double[k];
        var sum = 0.0;
        for (var i = 0; i < k; i++)
        {
            scaled[i] = max > 0 ? magnitudes[i] / max : 1.0;
            sum += scaled[i];
        }

        var percents = new int[k];
        var fractions = new double[k];
        var assigned = 0;
        for (var i = 0; i < k; i++)
        {
            var exact = 100.0 * scaled[i] / sum;
            percents[i] = (int)Math.Floor(exact);
            fractions[i] = exact - percents[i];
            assigned += percents[i];
        }

        var order = Enumerable.Range(0, k).OrderByDescending(i => fractions[i]).ThenBy(i => i).ToArray();
        for (var t = 0; assigned < 100; t = (t + 1) % k)
        {
            percents[order[t]]++;
            assigned++;
        }

        for (var i = 0; i < k; i++)
        {
            if (percents[i] == 0)
            {
                var largest = 0;
                for (var j = 1; j < k; j++)
                {
                    if (percents[j] >= percents[largest])
                    {
                        largest = j;
                    }
                }

                percents[largest]--;
                percents[i] = 1;
            }
        }

        return percents;
    }
}

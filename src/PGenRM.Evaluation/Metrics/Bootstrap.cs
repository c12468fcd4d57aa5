namespace PGenRM.Evaluation.Metrics;

/// <summary>Percentile bootstrap over users (the unit that is independent; pairs of one user are not).</summary>
public static class Bootstrap
{
    /// <summary>95% percentile interval of the mean of <paramref name="values"/>.</summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values, int resamples = 2000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double total = 0;
            for (int i = 0; i < values.Count; i++)
            {
                total += values[random.Next(values.Count)];
            }

            means[b] = total / values.Count;
        }

        Array.Sort(means);
        return (means[(int)(0.025 * (resamples - 1))], means[(int)(0.975 * (resamples - 1))]);
    }

    /// <summary>
    /// 95% interval of the mean paired difference a − b over users present in both (same resampled users for
    /// both methods, which is what makes a small difference detectable).
    /// </summary>
    public static (double Mean, double Low, double High) PairedDifference(
        IReadOnlyDictionary<string, double> a,
        IReadOnlyDictionary<string, double> b,
        int resamples = 2000,
        int seed = 12345)
    {
        var diffs = a.Where(kv => b.ContainsKey(kv.Key)).Select(kv => kv.Value - b[kv.Key]).ToArray();
        if (diffs.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var (low, high) = MeanInterval(diffs, resamples, seed);
        return (diffs.Average(), low, high);
    }
}

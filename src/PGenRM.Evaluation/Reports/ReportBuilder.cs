using PGenRM.Evaluation.Metrics;

namespace PGenRM.Evaluation.Reports;

/// <summary>Aggregates per-seed split results into rows (means and spreads over seeds, paired differences).</summary>
public static class ReportBuilder
{
    /// <summary>Builds the report of one dataset and protocol from its per-seed results.</summary>
    public static ProtocolReport Build(string dataset, string protocol, IReadOnlyList<int> seeds, IReadOnlyList<SplitResult> results, IReadOnlyList<string>? notes = null)
    {
        var seenMethods = results.SelectMany(r => r.Seen.Keys).Distinct(StringComparer.Ordinal).ToList();
        var seen = seenMethods.Select(m => Row(m, results, r => r.Seen, MethodNames.Population, r => r.MillisecondsPerThousandPairs.GetValueOrDefault(m))).ToList();
        var coldMethods = results.SelectMany(r => r.Unseen.Keys).Distinct(StringComparer.Ordinal).ToList();
        var cold = coldMethods.Select(m => Row(m, results, r => r.Unseen,
            m == MethodNames.StatedWith ? MethodNames.StatedWithout : MethodNames.ColdStartPopulation, _ => double.NaN)).ToList();
        var trainers = results.SelectMany(r => r.TrainSeconds.Keys).Distinct(StringComparer.Ordinal);
        return new ProtocolReport
        {
            Dataset = dataset,
            Protocol = protocol,
            Seeds = seeds,
            Seen = seen,
            ColdStart = cold,
            Splits = results.Select(r => r.Split).ToList(),
            TrainSeconds = trainers.ToDictionary(t => t, t => results.Average(r => r.TrainSeconds.GetValueOrDefault(t)), StringComparer.Ordinal),
            DatasetNotes = notes ?? [],
        };
    }

    private static MethodRow Row(
        string method,
        IReadOnlyList<SplitResult> results,
        Func<SplitResult, Dictionary<string, Dictionary<string, UserTally>>> table,
        string baseline,
        Func<SplitResult, double> timing)
    {
        var perSeed = results.Where(r => table(r).ContainsKey(method)).ToList();
        var summaries = perSeed.Select(r => AccuracySummary.From(table(r)[method].Values.ToList(), TieConvention.TiesWrong)).ToList();
        var dropped = perSeed.Select(r => AccuracySummary.From(table(r)[method].Values.ToList(), TieConvention.TiesDropped, resamples: 1)).ToList();
        var calibration = perSeed.Select(r => CalibrationSummary.From(table(r)[method].Values)).ToList();
        var population = perSeed.Select(r => Paired(table(r), method, baseline)).ToList();
        var popularity = perSeed.Select(r => Paired(table(r), method, MethodNames.ItemPopularity)).Where(d => !double.IsNaN(d.Mean)).ToList();
        var unscaled = perSeed.Select(r => Paired(table(r), method, MethodNames.Full)).Where(d => !double.IsNaN(d.Mean)).ToList();
        return new MethodRow
        {
            Method = method,
            Macro = 100 * summaries.Average(s => s.Macro),
            MacroSd = 100 * Sd(summaries.Select(s => s.Macro)),
            Low = 100 * summaries.Average(s => s.Low),
            High = 100 * summaries.Average(s => s.High),
            MacroTiesDropped = 100 * dropped.Average(s => s.Macro),
            Micro = 100 * summaries.Average(s => s.Micro),
            DeltaPopulation = 100 * population.Average(d => d.Mean),
            DeltaPopulationSd = 100 * Sd(population.Select(d => d.Mean)),
            SeedsAbovePopulation = population.Count(d => d.Low > 0),
            DeltaPopularity = popularity.Count == 0 ? double.NaN : 100 * popularity.Average(d => d.Mean),
            SeedsAbovePopularity = popularity.Count(d => d.Low > 0),
            DeltaUnscaled = unscaled.Count == 0 ? double.NaN : 100 * unscaled.Average(d => d.Mean),
            SeedsAboveUnscaled = unscaled.Count(d => d.Low > 0),
            Users = summaries.Average(s => s.Users),
            Pairs = summaries.Average(s => s.Pairs),
            MillisecondsPerThousand = perSeed.Average(timing),
            LogLoss = calibration.Count == 0 ? double.NaN : calibration.Average(c => c.LogLoss),
            Ece = calibration.Count == 0 ? double.NaN : 100 * calibration.Average(c => c.Ece),
        };
    }

    private static (double Mean, double Low, double High) Paired(Dictionary<string, Dictionary<string, UserTally>> table, string method, string baseline)
    {
        if (!table.TryGetValue(baseline, out var b) || !table.TryGetValue(method, out var a))
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        return Bootstrap.PairedDifference(Accuracies(a), Accuracies(b));
    }

    private static Dictionary<string, double> Accuracies(Dictionary<string, UserTally> users) =>
        users.Where(kv => kv.Value.Total > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy(TieConvention.TiesWrong)!.Value, StringComparer.Ordinal);

    private static double Sd(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
        {
            return 0;
        }

        double mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }
}

using System.Globalization;
using System.Text;

namespace PGenRM.Evaluation.Reports;

/// <summary>Renders protocol reports as Markdown tables.</summary>
public static class MarkdownReport
{
    /// <summary>One section per dataset and protocol: seen users, then the cold-start curve.</summary>
    public static string Render(IEnumerable<ProtocolReport> reports)
    {
        var md = new StringBuilder();
        foreach (var report in reports)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {report.Dataset}, {report.Protocol} (seeds {string.Join(", ", report.Seeds)})");
            md.AppendLine();
            md.AppendLine("| method | macro acc (ties wrong), mean (sd) | 95% CI (mean of seeds) | macro, ties dropped | micro | Δ vs population (sd) [seeds CI>0] | Δ vs item popularity [seeds CI>0] | Δ vs unscaled [seeds CI>0] | log-loss | ECE (%) | users | test pairs | ms / 1k pairs |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var row in report.Seen)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Method} | {row.Macro:F1} ({row.MacroSd:F1}) | [{row.Low:F1}, {row.High:F1}] | {row.MacroTiesDropped:F1} | {row.Micro:F1} | {Signed(row.DeltaPopulation)} ({row.DeltaPopulationSd:F1}) [{row.SeedsAbovePopulation}/{report.Seeds.Count}] | {Delta(row.DeltaPopularity, row.SeedsAbovePopularity, report.Seeds.Count)} | {Delta(row.DeltaUnscaled, row.SeedsAboveUnscaled, report.Seeds.Count)} | {Number(row.LogLoss, "F3")} | {Number(row.Ece, "F1")} | {row.Users:F0} | {row.Pairs:F0} | {row.MillisecondsPerThousand:F0} |");
            }

            if (report.ColdStart.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("Unseen users (k of their judgments revealed):");
                md.AppendLine();
                md.AppendLine("| method | macro acc (ties wrong), mean (sd) | 95% CI | Δ vs population (sd) [seeds CI>0] | log-loss | ECE (%) | users |");
                md.AppendLine("|---|---|---|---|---|---|---|");
                foreach (var row in report.ColdStart)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {row.Method} | {row.Macro:F1} ({row.MacroSd:F1}) | [{row.Low:F1}, {row.High:F1}] | {Signed(row.DeltaPopulation)} ({row.DeltaPopulationSd:F1}) [{row.SeedsAbovePopulation}/{report.Seeds.Count}] | {Number(row.LogLoss, "F3")} | {Number(row.Ece, "F1")} | {row.Users:F0} |");
                }
            }

            md.AppendLine();
            foreach (var note in report.DatasetNotes)
            {
                md.AppendLine("Data note: " + note + ".");
                md.AppendLine();
            }

            md.AppendLine("Splits: " + string.Join("; ", report.Splits));
            md.AppendLine();
            md.AppendLine("Training seconds (mean per seed): " + string.Join(", ", report.TrainSeconds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:F1}"))));
            md.AppendLine();
        }

        return md.ToString();
    }

    private static string Number(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double value) => double.IsNaN(value) ? "–" : value.ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);

    private static string Delta(double value, int seeds, int total) => double.IsNaN(value) ? "–" : $"{Signed(value)} [{seeds}/{total}]";
}

using PGenRM.Evaluation.Protocols;
using PGenRM.Evaluation.Reports;

namespace PGenRM.Evaluation;

/// <summary>Runs one dataset under the requested protocols over several seeded splits.</summary>
public static class EvaluationRunner
{
    /// <summary>Evaluates <paramref name="data"/>; progress reports (protocol, seed, phase).</summary>
    public static IReadOnlyList<ProtocolReport> Run(
        FeaturizedDataset data,
        IReadOnlyList<EvaluationProtocol> protocols,
        IReadOnlyList<int> seeds,
        SplitOptions splitOptions,
        EvaluationSettings settings,
        IProgress<string>? progress = null)
    {
        var reports = new List<ProtocolReport>();
        foreach (var protocol in protocols)
        {
            var results = new List<SplitResult>();
            foreach (int seed in seeds)
            {
                var split = DataSplit.Create(data.Dataset, protocol, splitOptions with { Seed = seed });
                results.Add(new SplitEvaluator(data, split, settings).Run(new SynchronousProgress(p => progress?.Report($"{data.Dataset.Name} {protocol} seed {seed}: {p}"))));
            }

            reports.Add(ReportBuilder.Build(data.Dataset.Name, Describe(protocol), seeds, results));
        }

        return reports;
    }

    /// <summary>Human name of a protocol.</summary>
    public static string Describe(EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.NewContent => "new content (split by item)",
        _ => "shared content (each user's judgments split)",
    };

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

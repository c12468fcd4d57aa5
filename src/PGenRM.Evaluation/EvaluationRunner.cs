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
        // The file's own split replaces both protocols' seeded splits, so it is run once.
        foreach (var protocol in splitOptions.UseSourceSplit ? protocols.Take(1) : protocols)
        {
            var results = new List<SplitResult>();
            foreach (int seed in seeds)
            {
                var split = DataSplit.Create(data.Dataset, protocol, splitOptions with { Seed = seed });
                var splitData = settings.TenantProjection
                    ? data.WithTenantProjection(split.Train.SelectMany(p => (string[])[p.ChosenId, p.RejectedId]))
                    : data;
                results.Add(new SplitEvaluator(splitData, split, settings).Run(new SynchronousProgress(p => progress?.Report($"{data.Dataset.Name} {protocol} seed {seed}: {p}"))));
            }

            reports.Add(ReportBuilder.Build(data.Dataset.Name, splitOptions.UseSourceSplit ? FileSplit : Describe(protocol), seeds, results, data.Dataset.Notes));
        }

        return reports;
    }

    /// <summary>Protocol name of a run on the dataset's own split column.</summary>
    public const string FileSplit = "file split (the dataset's split column)";

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

using PGenRM.Core.Criteria;
using PGenRM.Core.Features;
using PGenRM.Core.Scenarios;
using PGenRM.Encoding.Onnx;
using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Metrics;
using PGenRM.Evaluation.Protocols;
using PGenRM.Evaluation.Tests.Data;

namespace PGenRM.Evaluation.Tests.Evaluation;

/// <summary>
/// A fast end-to-end evaluation with the real encoder on one Polis conversation under shared content: the full
/// method (with the prototype level) must beat item popularity, with the paired bootstrap interval above zero.
/// </summary>
public sealed class PolisSharedContentTests
{
    [Fact]
    public async Task FullMethod_BeatsItemPopularity_OnASharedContentPolisSubset()
    {
        // arrange: one mid-sized English conversation, real MiniLM features, seeded split
        var dataset = PolisLoader.Load(SharedDatasets.Folder("polis-opendata"), ["scoop-hivemind.biodiversity"]);
        using var encoder = new OnnxSentenceEncoder();
        var bank = await CriteriaBank.CreateAsync(encoder, cancellationToken: TestContext.Current.CancellationToken);
        var scenarios = await ScenarioSet.CreateAsync(encoder, cancellationToken: TestContext.Current.CancellationToken);
        var features = await Featurizer.BuildAsync(dataset, FeatureSpace.Create(bank, scenarios), new EmbeddingStore(encoder, null),
            cancellationToken: TestContext.Current.CancellationToken);
        var split = DataSplit.Create(dataset, EvaluationProtocol.SharedContent, new SplitOptions { Seed = 0 });
        var settings = new EvaluationSettings { Ablations = false, IndividualM = [], PrototypeN = [8], Combined = (1, 8), ColdStartK = [0, 5] };

        // act
        var result = new SplitEvaluator(features, split, settings).Run();

        // assert
        string full = MethodNames.Prototype(8);
        var accuracies = Accuracies(result, full);
        var popularity = Accuracies(result, MethodNames.ItemPopularity);
        var population = Accuracies(result, MethodNames.Population);
        var (mean, low, _) = Bootstrap.PairedDifference(accuracies, popularity);
        Assert.True(accuracies.Count > 100, $"only {accuracies.Count} users evaluated");
        Assert.True(low > 0, $"full − popularity = {mean:P1}, interval low end {low:P1}");
        Assert.True(accuracies.Values.Average() > population.Values.Average() + 0.05,
            $"full {accuracies.Values.Average():P1} vs population {population.Values.Average():P1}: the collaborative signal must lift the method well above the population model");
    }

    private static Dictionary<string, double> Accuracies(SplitResult result, string method) =>
        result.Seen[method].ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy(TieConvention.TiesWrong)!.Value, StringComparer.Ordinal);
}

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
/// method with the paper's prototype level (neighbours counted equally) must beat item popularity, with the paired
/// bootstrap interval above zero; with the shipped agreement-weighted neighbours (issue 11 session 3) it must beat
/// item popularity on average and the population model by 5 points. Measured when the rule changed (seed 0): agreement
/// +0.8 points over popularity, interval low end −0.4: on Polis the rule gives up part of the prototype level's gain
/// (docs/EVALUATION.md, session 3).
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
        var accuracies = Accuracies(result, MethodNames.PrototypeEqual(8));
        var agreement = Accuracies(result, MethodNames.Prototype(8));
        var popularity = Accuracies(result, MethodNames.ItemPopularity);
        var population = Accuracies(result, MethodNames.Population);
        var (mean, low, _) = Bootstrap.PairedDifference(accuracies, popularity);
        Assert.True(accuracies.Count > 100, $"only {accuracies.Count} users evaluated");
        Assert.True(low > 0, $"full (equal neighbours) − popularity = {mean:P1}, interval low end {low:P1}");
        Assert.True(accuracies.Values.Average() > population.Values.Average() + 0.05,
            $"full {accuracies.Values.Average():P1} vs population {population.Values.Average():P1}: the collaborative signal must lift the method well above the population model");
        var (agreementMean, _, _) = Bootstrap.PairedDifference(agreement, popularity);
        Assert.True(agreementMean > 0, $"full (agreement-weighted neighbours) − popularity = {agreementMean:P1}");
        Assert.True(agreement.Values.Average() > population.Values.Average() + 0.05,
            $"full (agreement) {agreement.Values.Average():P1} vs population {population.Values.Average():P1}");
    }

    private static Dictionary<string, double> Accuracies(SplitResult result, string method) =>
        result.Seen[method].ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy(TieConvention.TiesWrong)!.Value, StringComparer.Ordinal);
}

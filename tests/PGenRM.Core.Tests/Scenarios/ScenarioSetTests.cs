using PGenRM.Core.Scenarios;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Scenarios;

public sealed class ScenarioSetTests
{
    private static readonly string[] Queries =
    [
        "How do I fix a null reference exception in C#?",
        "Write a poem about my dog.",
        "Should taxes be raised?",
        "hi",
        "",
        "What is the capital of Peru and how many people live there?",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void DefaultDefinition_HasFiveToSixScenariosWithUniqueIds()
    {
        var definition = ScenarioSetDefinition.Default;

        Assert.Equal("scenarios-v1", definition.Version);
        Assert.InRange(definition.Scenarios.Count, 5, 6);
        Assert.Equal(definition.Scenarios.Count, definition.Scenarios.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(0.05, definition.Temperature);
        Assert.All(definition.Scenarios, s => Assert.True(s.Descriptions.Count >= 3));
    }

    [Fact]
    public async Task Assign_WeightsAreNonNegativeAndSumToOne()
    {
        var set = await TestBanks.ScenariosAsync();

        foreach (var query in Queries)
        {
            var weights = set.Assign(TestBanks.Encoder.Encode(query));

            Assert.Equal(set.Count, weights.Length);
            Assert.All(weights, w => Assert.True(w >= 0f && float.IsFinite(w)));
            Assert.Equal(1.0, weights.Sum(w => (double)w), 5);
        }
    }

    [Fact]
    public async Task Assign_QueryEqualToADescription_IsDominatedByItsScenario()
    {
        // With the hashing test double this checks the wiring (centroids, order, softmax), not semantics.
        var set = await TestBanks.ScenariosAsync();

        foreach (var scenario in set.Scenarios)
        {
            var weights = set.Assign(TestBanks.Encoder.Encode(scenario.Descriptions[1]));

            Assert.Equal(scenario.Id, set.Dominant(weights).Id);
        }
    }

    [Fact]
    public async Task Assign_IsDeterministicAcrossBuilds()
    {
        var first = await ScenarioSet.CreateAsync(new HashingSentenceEncoder(), cancellationToken: Ct);
        var second = await ScenarioSet.CreateAsync(new HashingSentenceEncoder(), cancellationToken: Ct);

        foreach (var query in Queries)
        {
            var embedding = TestBanks.Encoder.Encode(query);
            Assert.Equal(first.Assign(embedding), second.Assign(embedding));
        }
    }

    [Fact]
    public async Task Assign_LowerTemperature_IsSharper()
    {
        var warm = await ScenarioSet.CreateAsync(TestBanks.Encoder, ScenarioSetDefinition.Default with { Temperature = 0.5 }, Ct);
        var cold = await ScenarioSet.CreateAsync(TestBanks.Encoder, ScenarioSetDefinition.Default with { Temperature = 0.01 }, Ct);
        var query = TestBanks.Encoder.Encode("Write a Python function that reverses a string.");

        Assert.True(cold.Assign(query).Max() > warm.Assign(query).Max());
    }

    [Fact]
    public async Task Dominant_TiesGoToTheLowestIndex()
    {
        var set = await TestBanks.ScenariosAsync();
        var weights = new float[set.Count];
        weights[1] = 0.4f;
        weights[3] = 0.4f;
        weights[4] = 0.2f;

        Assert.Equal(1, set.DominantIndex(weights));
        Assert.Same(set.Scenarios[1], set.Dominant(weights));
    }

    [Fact]
    public async Task CreateAsync_RejectsInvalidDefinitions()
    {
        var scenarios = ScenarioSetDefinition.Default.Scenarios;

        await Assert.ThrowsAsync<ArgumentException>(() =>
            ScenarioSet.CreateAsync(TestBanks.Encoder, ScenarioSetDefinition.Default with { Temperature = 0 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ScenarioSet.CreateAsync(TestBanks.Encoder, ScenarioSetDefinition.Default with { Scenarios = [.. scenarios, scenarios[0]] }, Ct));
    }

    [Fact]
    public async Task Assign_RejectsWrongDimension()
    {
        var set = await TestBanks.ScenariosAsync();

        Assert.Throws<ArgumentException>(() => set.Assign(new float[3]));
    }
}

using PGenRM.Core.Chains;
using PGenRM.Core.Criteria;
using PGenRM.Core.Scenarios;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Chains;

public sealed class ChainBuilderTests
{
    private static readonly Scenario Advice = ScenarioSetDefinition.Default.Scenarios.Single(s => s.Id == "advice");

    private static readonly ScalingTrace Trace = new(16, 8, ["u-7", "u-3"], 0.75, 0.6, 0.4, ColdStart: false);

    [Fact]
    public async Task Build_WeightPercentsSumToExactly100_ForManyRandomWeightVectors()
    {
        var bank = await TestBanks.BankAsync();
        var random = new Random(20260212);
        var scores = new[] { new float[bank.Count] };

        for (var trial = 0; trial < 3000; trial++)
        {
            var k = random.Next(1, 9);
            var weights = RandomWeights(random, bank.Count);
            var chain = new ChainBuilder(bank, k).Build(Advice, weights, scores, [0.0], Trace, "test");

            var nonZero = weights.Count(w => w != 0);
            Assert.Equal(nonZero == 0 ? Math.Min(k, bank.Count) : Math.Min(k, nonZero), chain.Rubric.Count);
            Assert.Equal(100, chain.Rubric.Sum(r => r.WeightPercent));
            Assert.All(chain.Rubric, r => Assert.True(r.WeightPercent >= 1, $"trial {trial}: {r.CriterionId} got {r.WeightPercent}%"));
            for (var i = 1; i < chain.Rubric.Count; i++)
            {
                Assert.True(chain.Rubric[i - 1].WeightPercent >= chain.Rubric[i].WeightPercent, $"trial {trial}: percents not sorted");
            }

            if (nonZero > 0)
            {
                // The rubric holds the K largest |weights| in descending order (ties: lower index first).
                var expected = Enumerable.Range(0, bank.Count).Where(c => weights[c] != 0)
                    .OrderByDescending(c => Math.Abs(weights[c])).ThenBy(c => c).Take(k)
                    .Select(c => (weights[c] < 0 ? "-" : string.Empty) + bank.Criteria[c].Id);
                Assert.Equal(expected, chain.Rubric.Select(r => r.CriterionId));
            }
        }
    }

    [Theory]
    [InlineData(new[] { 0.35, 0.30, 0.20, 0.15 }, new[] { 35, 30, 20, 15 })]
    [InlineData(new[] { 1.0, 1.0, 1.0 }, new[] { 34, 33, 33 })]
    [InlineData(new[] { 1.0, 1e-12 }, new[] { 99, 1 })]
    [InlineData(new[] { 1.0, 1.0, 1e-9, 1e-9 }, new[] { 49, 49, 1, 1 })]
    [InlineData(new[] { 0.0, 0.0 }, new[] { 50, 50 })]
    [InlineData(new[] { 2.0, 1.0, 1.0 }, new[] { 50, 25, 25 })]
    [InlineData(new[] { double.MaxValue, double.MaxValue }, new[] { 50, 50 })]
    [InlineData(new[] { 0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05 }, new[] { 30, 20, 15, 10, 10, 10, 5 })]
    public void PercentAllocator_UsesLargestRemainderWithAOnePercentFloor(double[] magnitudes, int[] expected) =>
        Assert.Equal(expected, PercentAllocator.Allocate(magnitudes));

    [Fact]
    public async Task Build_NegativeWeight_FlipsToTheNegativePole()
    {
        var bank = await TestBanks.BankAsync();
        var weights = new double[bank.Count];
        var concise = bank.IndexOf("concise");
        var direct = bank.IndexOf("directness");
        weights[concise] = -2.0;
        weights[direct] = 1.0;
        var z = new float[bank.Count];
        z[concise] = 1.2f;
        z[direct] = -0.4f;

        var chain = new ChainBuilder(bank).Build(Advice, weights, [z], [0.3], Trace, "test");

        Assert.Equal(2, chain.Rubric.Count);
        Assert.Equal(new RubricItem("-concise", "Detailed", 67, ChainBuilder.NegativePoleDescription(bank.Criteria[concise])), chain.Rubric[0]);
        Assert.True(chain.Rubric[0].IsNegativePole);
        Assert.Equal("concise", chain.Rubric[0].BaseCriterionId);
        Assert.Equal(new RubricItem("directness", "Direct", 33, bank.Criteria[direct].Description), chain.Rubric[1]);
        Assert.Equal([CriteriaBank.ToCriterionScale(-1.2), CriteriaBank.ToCriterionScale(-0.4)], chain.Responses[0].CriterionScores);
        Assert.Equal(3.7, chain.Responses[0].CriterionScores[0], 10);
    }

    [Fact]
    public async Task Build_NegativeWeight_DescribesThePreferredPoleAndNamesThePenalisedOne()
    {
        // arrange: the user prefers long answers, a negative weight on "concise"
        var bank = await TestBanks.BankAsync();
        var weights = new double[bank.Count];
        var concise = bank.IndexOf("concise");
        weights[concise] = -1.0;

        var chain = new ChainBuilder(bank).Build(Advice, weights, [new float[bank.Count]], [0.0], Trace, "test");

        // assert: not the neutral sentence written from the "concise" side
        var item = chain.Rubric.Single();
        Assert.Equal("Detailed", item.Name);
        Assert.NotEqual(bank.Criteria[concise].Description, item.Description);
        Assert.StartsWith("Prefers detailed over concise responses", item.Description, StringComparison.Ordinal);
        Assert.Contains("a concise response is penalised", item.Description, StringComparison.Ordinal);
        Assert.Contains("brief and to the point", item.Description, StringComparison.Ordinal);
        Assert.Contains("Detailed (100%): Prefers detailed over concise", PaperChainFormat.Serialize(chain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_PreferredIndexIsArgmaxReward_TiesToLowestIndex()
    {
        var bank = await TestBanks.BankAsync();
        var builder = new ChainBuilder(bank);
        var weights = Enumerable.Range(0, bank.Count).Select(i => (double)(i + 1)).ToArray();
        float[][] scores = [new float[bank.Count], new float[bank.Count], new float[bank.Count], new float[bank.Count]];

        Assert.Equal(2, builder.Build(Advice, weights, scores, [0.1, -0.5, 2.0, 1.9], Trace, "m").PreferredIndex);
        Assert.Equal(1, builder.Build(Advice, weights, scores, [0.1, 3.0, 2.0, 3.0], Trace, "m").PreferredIndex);
        Assert.Equal(0, builder.Build(Advice, weights, scores, [1.0, 1.0, 1.0, 1.0], Trace, "m").PreferredIndex);
    }

    [Fact]
    public async Task Build_FinalScoresAreInOneToTenAndOrderedLikeRewards()
    {
        var bank = await TestBanks.BankAsync();
        var builder = new ChainBuilder(bank);
        var random = new Random(7);

        for (var trial = 0; trial < 500; trial++)
        {
            var n = random.Next(1, 7);
            var rewards = Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * 10).ToArray();
            var scores = Enumerable.Range(0, n).Select(_ => RandomZ(random, bank.Count)).ToArray();

            var chain = builder.Build(Advice, RandomWeights(random, bank.Count), scores, rewards, Trace, "m");

            Assert.Equal(n, chain.Responses.Count);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(i, chain.Responses[i].Index);
                Assert.Equal(rewards[i], chain.Responses[i].Reward);
                Assert.InRange(chain.Responses[i].FinalScore, 1.0, 10.0);
                Assert.All(chain.Responses[i].CriterionScores, s => Assert.InRange(s, 1.0, 10.0));
                for (var j = 0; j < n; j++)
                {
                    Assert.Equal(Math.Sign(rewards[i] - rewards[j]), Math.Sign(chain.Responses[i].FinalScore - chain.Responses[j].FinalScore));
                }
            }

            Assert.Equal(Array.IndexOf(rewards, rewards.Max()), chain.PreferredIndex);
        }
    }

    [Fact]
    public async Task Build_SingleResponse_GetsTheMidpointFinalScore()
    {
        var bank = await TestBanks.BankAsync();

        var chain = new ChainBuilder(bank).Build(Advice, new double[bank.Count], [new float[bank.Count]], [42.0], Trace, "m");

        Assert.Equal(5.5, chain.Responses[0].FinalScore);
    }

    [Fact]
    public async Task Build_RendersADeterministicPersonaFromTheHeaviestWeights()
    {
        var bank = await TestBanks.BankAsync();
        var weights = new double[bank.Count];
        weights[bank.IndexOf("concise")] = 3.0;
        weights[bank.IndexOf("directness")] = 2.5;
        weights[bank.IndexOf("actionable")] = 2.0;
        weights[bank.IndexOf("hedging")] = -1.0;
        weights[bank.IndexOf("humour")] = 0.2;
        weights[bank.IndexOf("formal")] = 0.1;
        var builder = new ChainBuilder(bank);

        var chain = builder.Build(Advice, weights, [new float[bank.Count]], [0.0], Trace, "m");
        var again = builder.Build(Advice, weights, [new float[bank.Count]], [0.0], Trace, "m");

        Assert.Equal(
            "For advice queries, this user prefers concise, direct and actionable answers. "
            + "To a lesser degree they also favour answers that are confident and humorous.",
            chain.Persona);
        Assert.Equal(chain, again);
        Assert.Equal(["concise", "directness", "actionable", "-hedging", "humour"], chain.Rubric.Select(r => r.CriterionId));
        Assert.Equal("advice", chain.ScenarioId);
        Assert.Equal("Advice", chain.ScenarioName);
        Assert.Equal("criteria-v1", chain.CriteriaVersion);
        Assert.Equal("m", chain.ModelVersion);
        Assert.Same(Trace, chain.Scaling);
    }

    [Fact]
    public async Task Build_ColdStartAndNoWeights_AreSaidInThePersona()
    {
        var bank = await TestBanks.BankAsync();
        var cold = Trace with { ColdStart = true };

        var chain = new ChainBuilder(bank, 4).Build(Advice, new double[bank.Count], [new float[bank.Count]], [0.0], cold, "m");

        Assert.Equal(
            "For advice queries, no preference of this user is known yet, so the rubric weighs its criteria equally. "
            + "Few of the user's own judgments are known yet, so this leans on similar users.",
            chain.Persona);
        Assert.Equal([25, 25, 25, 25], chain.Rubric.Select(r => r.WeightPercent));
    }

    [Fact]
    public async Task Build_RejectsMalformedInputs()
    {
        var bank = await TestBanks.BankAsync();
        var builder = new ChainBuilder(bank);
        var weights = new double[bank.Count];
        var scores = new[] { new float[bank.Count] };

        Assert.Throws<ArgumentException>(() => builder.Build(Advice, new double[3], scores, [0.0], Trace, "m"));
        Assert.Throws<ArgumentException>(() => builder.Build(Advice, weights, scores, [0.0, 1.0], Trace, "m"));
        Assert.Throws<ArgumentException>(() => builder.Build(Advice, weights, [new float[2]], [0.0], Trace, "m"));
        Assert.Throws<ArgumentException>(() => builder.Build(Advice, weights, scores, [double.NaN], Trace, "m"));
        Assert.Throws<ArgumentException>(() => builder.Build(Advice, weights, [], [], Trace, "m"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChainBuilder(bank, 0));
    }

    private static double[] RandomWeights(Random random, int count)
    {
        var weights = new double[count];
        var mode = random.Next(5);
        for (var c = 0; c < count; c++)
        {
            weights[c] = mode switch
            {
                0 => random.NextDouble() * 2 - 1,                              // dense, signed
                1 => random.Next(3) == 0 ? 0.0 : random.Next(-2, 3) * 0.5,     // many exact ties and zeros
                2 => random.Next(4) == 0 ? 1.0 : random.NextDouble() * 1e-9,   // one or a few large, the rest tiny
                3 => random.Next(count) == 0 ? -random.NextDouble() : 0.0,     // sparse, possibly all zero
                _ => Math.Pow(10, random.Next(-300, 300)) * (random.Next(2) == 0 ? 1 : -1), // extreme magnitudes
            };
        }

        return weights;
    }

    private static float[] RandomZ(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * 10))];
}

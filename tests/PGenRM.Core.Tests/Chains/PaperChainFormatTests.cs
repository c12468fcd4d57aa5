using PGenRM.Core.Chains;
using PGenRM.Core.Scenarios;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Chains;

public sealed class PaperChainFormatTests
{
    private const string PaperStyleOutput = """
        Part 1: Chain-of-Thought Analysis
        1. User Preference Synthesis: the user values balance and nuance, and likes practical detail.
        2. Criteria: Balance & Nuance, Utility/Actionable Detail, Safety/Tone, Clarity.

        Part 2: Final Scoring and JSON
        <JSON_START>
        {
          "rationale": "A. Evaluation Criteria & Weights\n1. Balance & Nuance: 35%\n2. Utility/Actionable Detail: 30%\n3. Safety/Tone: 20%\n4. Clarity: 15%\n\nB. Scoring Breakdown\nResponse 1 Final Score = (4×0.35)+(6×0.30)+(7×0.20)+(7×0.15) = 5.4\nResponse 2 Final Score = (8×0.35)+(8×0.30)+(8×0.20)+(8×0.15) = 8.0",
          "better_response": {"response_1": "5.4", "response_2": "8.0"}
        }
        <JSON_END>
        """;

    [Theory]
    [MemberData(nameof(SampleChains.Names), MemberType = typeof(SampleChains))]
    public void SerializeThenParse_GivesAnEqualChain(string name)
    {
        var chain = SampleChains.ByName(name);

        var text = PaperChainFormat.Serialize(chain);
        var parsed = PaperChainFormat.Parse(text);

        Assert.Equal(chain, parsed);
        Assert.Equal(chain.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(text, PaperChainFormat.Serialize(parsed));
    }

    [Fact]
    public async Task SerializeThenParse_RoundTripsBuiltChains()
    {
        var bank = await TestBanks.BankAsync();
        var scenarios = await TestBanks.ScenariosAsync();
        var builder = new ChainBuilder(bank, 7);
        var random = new Random(11);

        for (var trial = 0; trial < 50; trial++)
        {
            var n = random.Next(1, 6);
            var weights = Enumerable.Range(0, bank.Count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var scores = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, bank.Count).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray()).ToArray();
            var rewards = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var scaling = new ScalingTrace(random.Next(1, 17), random.Next(0, 9), ["a", "b"], random.NextDouble(), 0.7, 0.3, random.Next(2) == 0);
            var chain = builder.Build(scenarios.Scenarios[trial % scenarios.Count], weights, scores, rewards, scaling, "compact-v1");

            Assert.Equal(chain, PaperChainFormat.Parse(PaperChainFormat.Serialize(chain)));
        }
    }

    [Fact]
    public void Serialize_WritesThePaperShape()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses);

        Assert.StartsWith("Part 1: Chain-of-Thought Analysis", text, StringComparison.Ordinal);
        Assert.Contains("- Concise (35%): Whether the response is brief", text, StringComparison.Ordinal);
        var start = text.IndexOf(PaperChainFormat.StartMarker, StringComparison.Ordinal);
        var end = text.IndexOf(PaperChainFormat.EndMarker, StringComparison.Ordinal);
        Assert.True(start > text.IndexOf("Part 2", StringComparison.Ordinal) && end > start);
        var json = text[(start + PaperChainFormat.StartMarker.Length)..end];
        Assert.Contains("\"better_response\": {\n    \"response_1\": 3.9013,\n    \"response_2\": 7.0987\n  }", json, StringComparison.Ordinal);
        Assert.Contains("A. Evaluation Criteria & Weights\\n1. Concise (35%)", json, StringComparison.Ordinal);
        Assert.Contains("B. Scoring Breakdown", json, StringComparison.Ordinal);
        Assert.Contains("Response 1 Rubric Score = (4.0×0.35)+(6.0×0.30)+(7.0×0.20)+(7.0×0.15) = 5.65", json, StringComparison.Ordinal);
        Assert.Contains("Response 1 Final Score = 3.90", json, StringComparison.Ordinal);
        Assert.Contains("\"chain\": {", json, StringComparison.Ordinal);
        Assert.Equal([3.9013, 7.0987], PaperChainFormat.ParseScores(text));
    }

    [Fact]
    public void Serialize_NamesSimilarUsersInTheFinalScoreOnlyWhenTheyContributed()
    {
        const string similarUsers = "counts how similar users judged these responses";
        var collaborative = SampleChains.TwoResponses;
        var contentOnly = collaborative with { Scaling = collaborative.Scaling with { ContentShare = 1.0, CollaborativeShare = 0.0 } };

        Assert.Contains(similarUsers, PaperChainFormat.Serialize(collaborative), StringComparison.Ordinal);
        var text = PaperChainFormat.Serialize(contentOnly);
        Assert.DoesNotContain(similarUsers, text, StringComparison.Ordinal);
        Assert.Contains("the final score comes from the full content model", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EscapesMarkersInsideStrings()
    {
        var text = PaperChainFormat.Serialize(SampleChains.ThreeResponsesUnicode);

        Assert.Single(AllIndexes(text, PaperChainFormat.EndMarker), i => i > text.IndexOf(PaperChainFormat.StartMarker, StringComparison.Ordinal));
        Assert.Contains("日本語も", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScores_ReadsAPaperStyleBlockWithQuotedScores() =>
        Assert.Equal([5.4, 8.0], PaperChainFormat.ParseScores(PaperStyleOutput));

    [Fact]
    public void ParseScoresAndRationale_ReturnsBoth_AndNullWithoutARationale()
    {
        var (scores, rationale) = PaperChainFormat.ParseScoresAndRationale(
            "<JSON_START>{\"rationale\": \"A. Criteria\\n1. Tone (100%)\", \"better_response\": {\"response_1\": 3, \"response_2\": \"4.5\"}}<JSON_END>");
        Assert.Equal([3.0, 4.5], scores);
        Assert.Equal("A. Criteria\n1. Tone (100%)", rationale);

        var (_, none) = PaperChainFormat.ParseScoresAndRationale("<JSON_START>{\"better_response\": {\"response_1\": 3}}<JSON_END>");
        Assert.Null(none);
    }

    [Fact]
    public void ParseScores_AcceptsNumbersFencesAndExtraKeys()
    {
        const string text = """
            I will answer between <JSON_START> and <JSON_END> as asked.
            <JSON_START>
            ```json
            {"rationale": "…", "better_response": {"response_2": 6.95, "response_1": " 6.8 ", "winner": 2}}
            ```
            <JSON_END>
            """;

        Assert.Equal([6.8, 6.95], PaperChainFormat.ParseScores(text));
    }

    [Fact]
    public void Parse_AcceptsQuotedScoresInsideTheChainObject()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses)
            .Replace("\"final_score\": 3.9013157280229843", "\"final_score\": \"3.9013157280229843\"", StringComparison.Ordinal)
            .Replace("\"weight_percent\": 35", "\"weight_percent\": \"35\"", StringComparison.Ordinal);

        Assert.Equal(SampleChains.TwoResponses, PaperChainFormat.Parse(text));
    }

    [Fact]
    public void Parse_MissingStartMarker_Throws()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses).Replace(PaperChainFormat.StartMarker, string.Empty, StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(text));
        Assert.Contains("start marker <JSON_START>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingEndMarker_Throws()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses).Replace(PaperChainFormat.EndMarker, string.Empty, StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(text));
        Assert.Contains("end marker <JSON_END>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScores_NoMarkersAtAll_Throws()
    {
        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.ParseScores("{\"better_response\": {\"response_1\": 1}}"));
        Assert.Contains("Missing both markers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_ThrowsWithThePosition()
    {
        const string text = "<JSON_START>\n{\n  \"better_response\": {\"response_1\": 5,\n  \"response_2\" 6}\n}\n<JSON_END>";

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.ParseScores(text));
        Assert.Contains("Invalid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at line 3, byte ", ex.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.Json.JsonException>(ex.InnerException, exactMatch: false);
    }

    [Fact]
    public void Parse_WeightsSummingTo90_Throws()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses)
            .Replace("\"weight_percent\": 35", "\"weight_percent\": 25", StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(text));
        Assert.Contains("rubric weights sum to 90, expected 100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScores_NonNumericScore_Throws()
    {
        var text = PaperStyleOutput.Replace("\"5.4\"", "\"abc\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.ParseScores(text));
        Assert.Contains("better_response.response_1 is not a number: \"abc\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonNumericCriterionScore_Throws()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses)
            .Replace("\"reward\": 0.43", "\"reward\": \"high\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(text));
        Assert.Contains("chain.responses[1].reward is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingBetterResponse_Throws()
    {
        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.ParseScores("<JSON_START>{\"rationale\": \"x\"}<JSON_END>"));
        Assert.Contains("no \"better_response\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"better_response\": 1}", "must be an object")]
    [InlineData("{\"better_response\": {\"response_1\": 5, \"response_3\": 6}}", "skips \"response_2\"")]
    [InlineData("{\"better_response\": {\"winner\": 1}}", "holds no \"response_1\"")]
    [InlineData("{\"better_response\": {\"response_1\": \"NaN\"}}", "is not a number")]
    [InlineData("[1, 2]", "must be an object")]
    [InlineData("   ", "is empty")]
    public void ParseScores_MalformedBetterResponse_Throws(string json, string expected)
    {
        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.ParseScores($"<JSON_START>{json}<JSON_END>"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PaperModelOutputWithoutChainObject_Throws()
    {
        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(PaperStyleOutput));
        Assert.Contains("no \"chain\" object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BetterResponseCountMismatch_Throws()
    {
        var text = PaperChainFormat.Serialize(SampleChains.TwoResponses)
            .Replace("\"response_2\": 7.0987", "\"response_2\": 7.0987,\n    \"response_3\": 1", StringComparison.Ordinal);

        var ex = Assert.Throws<ChainFormatException>(() => PaperChainFormat.Parse(text));
        Assert.Contains("3 scores but the chain has 2 responses", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ReportsTheErrorInsteadOfThrowing()
    {
        Assert.False(PaperChainFormat.TryParse("no markers", out var chain, out var error));
        Assert.Null(chain);
        Assert.Contains("Missing both markers", error, StringComparison.Ordinal);

        Assert.True(PaperChainFormat.TryParse(PaperChainFormat.Serialize(SampleChains.TwoResponses), out chain, out error));
        Assert.Equal(SampleChains.TwoResponses, chain);
        Assert.Null(error);

        Assert.False(PaperChainFormat.TryParseScores(null, out var scores, out error));
        Assert.Null(scores);
        Assert.NotNull(error);
        Assert.True(PaperChainFormat.TryParseScores(PaperStyleOutput, out scores, out _));
        Assert.Equal([5.4, 8.0], scores);
    }

    [Fact]
    public void Serialize_RejectsAChainWhoseWeightsDoNotSumTo100()
    {
        var bad = SampleChains.TwoResponses with { Rubric = [.. SampleChains.TwoResponses.Rubric.Take(3)] };

        var ex = Assert.Throws<ArgumentException>(() => PaperChainFormat.Serialize(bad));
        Assert.Contains("sum to 85", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainEquality_ComparesListsByValue()
    {
        var a = SampleChains.TwoResponses;
        var copy = a with
        {
            Rubric = [.. a.Rubric],
            Responses = [.. a.Responses.Select(r => r with { CriterionScores = [.. r.CriterionScores] })],
            Scaling = a.Scaling with { Neighbours = [.. a.Scaling.Neighbours] },
        };
        var changed = a with { Responses = [a.Responses[0] with { CriterionScores = [4.0, 6.0, 7.0, 7.1] }, a.Responses[1]] };

        Assert.Equal(a, copy);
        Assert.Equal(a.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(a, changed);
        Assert.NotEqual(a, a with { Scaling = a.Scaling with { Neighbours = ["u-4", "u-17"] } });
    }

    private static IEnumerable<int> AllIndexes(string text, string value)
    {
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }
}

using PGenRM.Core.Chains;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;

namespace PGenRM.Evaluation.Tests.RealEncoder;

[Collection(MiniLmCollection.Name)]
public sealed class CompactEvaluatorTests(MiniLmFixture fixture)
{
    private const string Query = "How do I read a file line by line in C#?";
    private const string Short = "Use `foreach (var line in File.ReadLines(path))`; it streams the file.";
    private const string Long = "There are many ways to read files in C#, and the right one depends on your situation. You might consider several APIs, each with trade-offs, so it is worth thinking carefully about your needs, your file sizes and your performance goals before you decide which approach suits you best.";

    private static readonly (string Query, string Chosen, string Rejected)[] ConcisePreferences =
    [
        ("How do I reverse a list in Python?", "Use `items[::-1]` or `items.reverse()`.", "Great question! Reversing a list is something many people wonder about, and there are several approaches with different trade-offs that we can explore together in detail."),
        ("What's a quick way to boil an egg?", "Boil 9 minutes, then cool in cold water.", "Boiling eggs can be surprisingly nuanced, and everyone has their own favourite method, so it really depends on your taste, your stove and the size of your eggs."),
        ("How can I speed up a slow SQL query?", "Run EXPLAIN and index the filtered columns.", "Performance tuning is complex and there are many factors involved, so without more information about your database and workload it is hard to say what would help most."),
        ("How do I undo the last git commit?", "`git reset --soft HEAD~1` keeps your changes staged.", "Git offers many ways to change history, and which one you should use depends on whether you have pushed, whether others share the branch, and what you want to keep."),
    ];

    [Fact]
    public async Task CriteriaBank_WithMiniLm_SeparatesConciseFromLongAndCodeFromProse()
    {
        var encoded = await fixture.Evaluator.EncodeAsync(Query, [Short, Long], cancellationToken: TestContext.Current.CancellationToken);
        var bank = fixture.Evaluator.Features.Bank;
        int concise = bank.IndexOf("concise"), examples = bank.IndexOf("examples");

        Assert.True(encoded.Candidates[0].CriterionScores[concise] > encoded.Candidates[1].CriterionScores[concise] + 1, "a one-liner must be far more concise");
        Assert.True(encoded.Candidates[0].CriterionScores[examples] > encoded.Candidates[1].CriterionScores[examples], "inline code must count as an example");
    }

    [Theory]
    [InlineData("How do I fix a NullReferenceException in my C# code?", "technical")]
    [InlineData("Should taxes on the very rich be raised to fund public schools?", "opinion")]
    [InlineData("Write a short poem about autumn leaves.", "creative")]
    public async Task Scenarios_WithMiniLm_AssignTheObviousScenario(string query, string expected)
    {
        var embedding = await fixture.Encoder.EncodeAsync(query, TestContext.Current.CancellationToken);
        var weights = fixture.Evaluator.Features.ScenarioWeights(embedding);

        Assert.Equal(expected, fixture.Evaluator.Features.Scenarios.Dominant(weights).Id);
        Assert.Equal(1.0, weights.Sum(), 3);
    }

    [Fact]
    public async Task Feedback_MovesTheUsersScoresTowardWhatTheyChose()
    {
        var evaluator = fixture.Evaluator;
        var user = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        var candidates = await evaluator.EncodeAsync(Query, [Short, Long], cancellationToken: TestContext.Current.CancellationToken);
        var items = candidates.Candidates.Select(c => ItemView.Unseen(c.FactorPrior)).ToList();
        var before = evaluator.Evaluate(user, candidates, items, [], new ScalingOptions(), "t/u");
        Assert.True(before.Chain.Scaling.ColdStart);

        foreach (var (query, chosen, rejected) in ConcisePreferences)
        {
            var pair = await evaluator.EncodeAsync(query, [chosen, rejected], cancellationToken: TestContext.Current.CancellationToken);
            user.Add(CompactEvaluator.Evidence(pair, ItemView.Unseen(pair.Candidates[0].FactorPrior), ItemView.Unseen(pair.Candidates[1].FactorPrior)));
        }

        var after = evaluator.Evaluate(user, candidates, items, [], new ScalingOptions(), "t/u");

        Assert.False(after.Chain.Scaling.ColdStart);
        Assert.True(after.Rewards[0] - after.Rewards[1] > before.Rewards[0] - before.Rewards[1] + 0.5,
            $"margin before {before.Rewards[0] - before.Rewards[1]:F3}, after {after.Rewards[0] - after.Rewards[1]:F3}");
        Assert.Equal(0, after.Chain.PreferredIndex);
        Assert.Equal(100, after.Chain.Rubric.Sum(r => r.WeightPercent));
        Assert.Equal(after.Chain, PaperChainFormat.Parse(PaperChainFormat.Serialize(after.Chain)));
    }

    [Fact]
    public async Task StatedPreference_ShiftsANewUsersPriorBeforeAnyFeedback()
    {
        var evaluator = fixture.Evaluator;
        var candidates = await evaluator.EncodeAsync(Query, [Short, Long], cancellationToken: TestContext.Current.CancellationToken);
        var items = candidates.Candidates.Select(c => ItemView.Unseen(c.FactorPrior)).ToList();
        var brief = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        brief.SetStatedPreference(await evaluator.StatedPreferenceAsync("Short, direct answers only. One line with the command, no chit-chat.", Query, TestContext.Current.CancellationToken));
        var thorough = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        thorough.SetStatedPreference(await evaluator.StatedPreferenceAsync("I like long, thorough explanations that discuss the options, the trade-offs and the background in depth before recommending anything.", Query, TestContext.Current.CancellationToken));

        var briefResult = evaluator.Evaluate(brief, candidates, items, [], new ScalingOptions(), "t/brief");
        var thoroughResult = evaluator.Evaluate(thorough, candidates, items, [], new ScalingOptions(), "t/thorough");

        Assert.Equal(0, brief.PairCount);
        Assert.True(briefResult.Rewards[0] - briefResult.Rewards[1] > thoroughResult.Rewards[0] - thoroughResult.Rewards[1],
            "the user who asked for brevity must favour the short answer more than the user who asked for depth");
    }

    [Fact]
    public async Task PreferenceProbability_FavoursTheLearnedSide()
    {
        var evaluator = fixture.Evaluator;
        var user = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        foreach (var (query, chosen, rejected) in ConcisePreferences)
        {
            var pair = await evaluator.EncodeAsync(query, [chosen, rejected], cancellationToken: TestContext.Current.CancellationToken);
            user.Add(CompactEvaluator.Evidence(pair, ItemView.Unseen(pair.Candidates[0].FactorPrior), ItemView.Unseen(pair.Candidates[1].FactorPrior)));
        }

        var candidates = await evaluator.EncodeAsync(Query, [Short, Long], cancellationToken: TestContext.Current.CancellationToken);
        var a = new Candidate(candidates.Candidates[0].ItemId, candidates.Candidates[0].Content, ItemView.Unseen(candidates.Candidates[0].FactorPrior));
        var b = new Candidate(candidates.Candidates[1].ItemId, candidates.Candidates[1].Content, ItemView.Unseen(candidates.Candidates[1].FactorPrior));

        double p = CompactEvaluator.PreferenceProbability(user, a, b);
        Assert.InRange(p, 0.5, 0.999);
        Assert.Equal(1 - p, CompactEvaluator.PreferenceProbability(user, b, a), 6);
    }
}

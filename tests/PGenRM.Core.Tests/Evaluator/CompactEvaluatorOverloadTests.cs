using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Evaluator;

/// <summary>The precomputed-parts overload of <see cref="CompactEvaluator.Evaluate(double[], IReadOnlyList{double[]}, bool, EncodedQuery, IReadOnlyList{ItemView}, IReadOnlyList{Neighbour}, IReadOnlyList{IReadOnlyList{Neighbour}}?, ScalingOptions)"/> (the scoring worker's path).</summary>
public sealed class CompactEvaluatorOverloadTests
{
    private static readonly Lazy<Task<CompactEvaluator>> Evaluator = new(() => CompactEvaluator.CreateAsync(TestBanks.Encoder));

    [Fact]
    public async Task Evaluate_WithPrecomputedSchemes_EqualsTheUserModelOverload()
    {
        var evaluator = await Evaluator.Value;
        var user = await TrainedUserAsync(evaluator, 6);
        var query = await evaluator.EncodeAsync("How do I sort a list in Python?", ["Use sorted(xs).", "Sorting is a deep topic with a long history in computer science."], cancellationToken: TestContext.Current.CancellationToken);
        var items = new[] { new ItemView(0.3, Factor(evaluator, 0.1)), new ItemView(-0.2, Factor(evaluator, -0.1)) };
        var scaling = new ScalingOptions { M = 3 };

        var viaModel = evaluator.Evaluate(user, query, items, [], scaling, "t/u|q");
        var schemes = TestTimeScaler.IndividualSchemes(user.Scheme, user.Prior, user.Scale, user.HistoryEntries(), query.Embedding, scaling, evaluator.Model, "t/u|q");
        var viaParts = evaluator.Evaluate(user.Scheme, schemes, user.IsColdStart, query, items, [], null, scaling);

        Assert.Equal(3, schemes.Count);
        Assert.Equal(viaModel.Rewards, viaParts.Rewards);
        Assert.Equal(viaModel.Chain, viaParts.Chain);
    }

    [Fact]
    public async Task Evaluate_WithJudges_FusesTheirJudgmentsLikeTheScaler()
    {
        var evaluator = await Evaluator.Value;
        var user = await TrainedUserAsync(evaluator, 3);
        var query = await evaluator.EncodeAsync("How do I sort a list in Python?", ["Use sorted(xs).", "Call xs.sort() to sort in place."], cancellationToken: TestContext.Current.CancellationToken);
        var items = query.Candidates.Select(c => ItemView.Unseen(c.FactorPrior)).ToList();
        var judged = new Dictionary<string, double> { [query.Candidates[1].ItemId] = 1, [query.Candidates[0].ItemId] = -1 };
        var judge = new Neighbour("t/judge", (double[])user.Scheme.Clone(), 0.5, judged);
        IReadOnlyList<IReadOnlyList<Neighbour>> judges = [[judge], [judge]];
        var scaling = new ScalingOptions { N = 2 };

        var withJudges = evaluator.Evaluate(user.Scheme, [user.Scheme], false, query, items, [], judges, scaling);
        var alone = evaluator.Evaluate(user.Scheme, [user.Scheme], false, query, items, [], null, scaling);
        var candidates = query.Candidates.Select((c, i) => new Candidate(c.ItemId, c.Content, items[i])).ToList();
        var expected = TestTimeScaler.Fuse([user.Scheme], candidates, [], scaling, judges);

        Assert.Equal(expected.Rewards, withJudges.Rewards);
        Assert.Equal(["t/judge"], withJudges.Chain.Scaling.Neighbours);

        // The judge shares the user's scheme, chose candidate 1 and rejected 0, and agrees with the user half the time
        // (similarity 0.5): the prototype level is the user's own score plus ½·J·judgment (the other half of the judge's
        // share is the user's own score), fused at half weight, so the 1-over-0 margin moves by ½·½·J·(1 − (−1)) = J/2.
        double shift = (withJudges.Rewards[1] - withJudges.Rewards[0]) - (alone.Rewards[1] - alone.Rewards[0]);
        Assert.Equal(scaling.JudgmentWeight / 2, shift, 9);
    }

    [Fact]
    public async Task Evaluate_RejectsMismatchedParts()
    {
        var evaluator = await Evaluator.Value;
        var query = await evaluator.EncodeAsync("q", ["a", "b"], cancellationToken: TestContext.Current.CancellationToken);
        var items = query.Candidates.Select(c => ItemView.Unseen(c.FactorPrior)).ToList();
        var scheme = evaluator.DefaultPrior().Mean;
        var scaling = new ScalingOptions();

        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scheme, [], true, query, items, [], null, scaling));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scheme, [new double[3]], true, query, items, [], null, scaling));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scheme, [scheme], true, query, items.Take(1).ToList(), [], null, scaling));
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scheme, [scheme], true, query, items, [], [[]], scaling));
    }

    private static double[] Factor(CompactEvaluator evaluator, double value) => Enumerable.Repeat(value, evaluator.Model.FactorDimension).ToArray();

    private static async Task<UserModel> TrainedUserAsync(CompactEvaluator evaluator, int pairs)
    {
        var user = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        for (int i = 0; i < pairs; i++)
        {
            var pair = await evaluator.EncodeAsync($"Question {i} about code?", [$"Short answer {i}.", $"A long and winding answer number {i} that goes on and on about many things."], cancellationToken: TestContext.Current.CancellationToken);
            user.Add(CompactEvaluator.Evidence(pair, ItemView.Unseen(pair.Candidates[0].FactorPrior), ItemView.Unseen(pair.Candidates[1].FactorPrior)));
        }

        return user;
    }
}

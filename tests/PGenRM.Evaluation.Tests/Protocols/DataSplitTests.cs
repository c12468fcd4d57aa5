using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Protocols;
using PGenRM.Evaluation.Tests.Data;

namespace PGenRM.Evaluation.Tests.Protocols;

public sealed class DataSplitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void NewContent_Polis_NoTestItemWasJudgedByAnyoneInTrain(int seed)
    {
        var split = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.NewContent, new SplitOptions { Seed = seed });

        var trainItems = split.Train.SelectMany(p => new[] { p.ChosenId, p.RejectedId }).ToHashSet(StringComparer.Ordinal);
        var testItems = split.SeenTest.Values.Concat(split.UnseenTest.Values).SelectMany(t => t).SelectMany(p => new[] { p.ChosenId, p.RejectedId }).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(testItems);
        Assert.Empty(trainItems.Intersect(testItems));
        Assert.All(testItems, item => Assert.Contains(item, split.TestContent));
        Assert.All(split.UnseenTrain.Values.SelectMany(t => t), p => Assert.DoesNotContain(p.ChosenId, split.TestContent));
    }

    [Fact]
    public void NewContent_Tldr_SplitsByPost()
    {
        var split = DataSplit.Create(SharedDatasets.Tldr, EvaluationProtocol.NewContent, new SplitOptions { Seed = 3, MinTrainPairsSeen = 1 });

        var trainPosts = split.Train.Select(p => p.PromptId).ToHashSet(StringComparer.Ordinal);
        var testPosts = split.SeenTest.Values.SelectMany(t => t).Select(p => p.PromptId).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(testPosts);
        Assert.Empty(trainPosts.Intersect(testPosts));
    }

    [Fact]
    public void SharedContent_Polis_KeepsOtherUsersJudgmentsOfTestItems_ButNotTheUsersOwn()
    {
        var split = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.SharedContent, new SplitOptions { Seed = 0 });
        var trainByUser = split.Train.GroupBy(p => p.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => new[] { p.ChosenId, p.RejectedId }).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var judgedInTrain = split.Train.SelectMany(p => new[] { p.ChosenId, p.RejectedId }).ToHashSet(StringComparer.Ordinal);

        int testItems = 0, judgedByOthers = 0;
        foreach (var (user, tests) in split.SeenTest)
        {
            foreach (var item in tests.SelectMany(p => new[] { p.ChosenId, p.RejectedId }).Distinct(StringComparer.Ordinal))
            {
                Assert.DoesNotContain(item, trainByUser[user]);
                testItems++;
                judgedByOthers += judgedInTrain.Contains(item) ? 1 : 0;
            }
        }

        Assert.True(judgedByOthers > 0.95 * testItems, $"{judgedByOthers} of {testItems} test items were judged by other users in train");
        Assert.DoesNotContain(split.Train, p => split.UnseenTest.ContainsKey(p.UserId));
    }

    [Fact]
    public void Create_IsDeterministicForASeed_AndDiffersAcrossSeeds()
    {
        var a = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.SharedContent, new SplitOptions { Seed = 5 });
        var b = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.SharedContent, new SplitOptions { Seed = 5 });
        var c = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.SharedContent, new SplitOptions { Seed = 6 });

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.SeenTest.Keys.Order(StringComparer.Ordinal), b.SeenTest.Keys.Order(StringComparer.Ordinal));
        Assert.NotEqual(a.Train, c.Train);
    }

    [Fact]
    public void Create_RespectsPerUserCapsAndMinimums()
    {
        var options = new SplitOptions { Seed = 1, MaxTrainPairsPerUser = 30, MaxTestPairsPerUser = 10, MinTrainPairsSeen = 12 };
        var split = DataSplit.Create(SharedDatasets.Polis, EvaluationProtocol.SharedContent, options);

        Assert.All(split.Train.GroupBy(p => p.UserId), g => Assert.True(g.Count() <= 30));
        Assert.All(split.SeenTest.Values, t => Assert.InRange(t.Count, 1, 10));
        var trainCounts = split.Train.GroupBy(p => p.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.All(split.SeenTest.Keys, user => Assert.True(trainCounts[user] >= 12));
        Assert.All(split.UnseenTrain.Values, t => Assert.True(t.Count >= options.MinTrainPairsUnseen));
    }
}

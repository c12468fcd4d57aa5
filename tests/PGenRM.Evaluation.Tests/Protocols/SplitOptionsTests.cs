using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Protocols;

namespace PGenRM.Evaluation.Tests.Protocols;

public sealed class SplitOptionsTests
{
    [Fact]
    public void FileSplit_HonoursTheSplitColumn_WhateverTheProtocol()
    {
        var data = Dataset(users: 3, pairsPerUser: 30, split: i => i % 3 == 0 ? "test" : i % 3 == 1 ? "train" : "valid");

        foreach (var protocol in new[] { EvaluationProtocol.NewContent, EvaluationProtocol.SharedContent })
        {
            var split = DataSplit.Create(data, protocol, new SplitOptions { UseSourceSplit = true, UnseenUserFraction = 0, MaxTrainPairsPerUser = 0, MaxTestPairsPerUser = 0 });

            Assert.Equal(30, split.Train.Count);
            Assert.All(split.Train, p => Assert.Equal("train", p.SourceSplit));
            Assert.Equal(3, split.SeenTest.Count);
            Assert.All(split.SeenTest.Values, t => Assert.Equal(10, t.Count));
            Assert.All(split.SeenTest.Values.SelectMany(t => t), p => Assert.Equal("test", p.SourceSplit));
            Assert.Empty(split.TestContent);
            Assert.StartsWith("file split seed 0:", split.Describe(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FileSplit_WithoutTestRows_IsRefused()
    {
        var data = Dataset(users: 2, pairsPerUser: 10, split: _ => "train");

        var error = Assert.Throws<DatasetFormatException>(() => DataSplit.Create(data, EvaluationProtocol.NewContent, new SplitOptions { UseSourceSplit = true }));

        Assert.Contains("'test'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroCaps_KeepAllPairs_AndZeroUnseenShare_KeepsEveryUserSeen()
    {
        var data = Dataset(users: 10, pairsPerUser: 300, split: _ => null);

        var capped = DataSplit.Create(data, EvaluationProtocol.SharedContent, new SplitOptions());
        var all = DataSplit.Create(data, EvaluationProtocol.SharedContent, new SplitOptions { MaxTrainPairsPerUser = 0, MaxTestPairsPerUser = 0, UnseenUserFraction = 0 });

        Assert.All(capped.SeenTest.Values, t => Assert.Equal(50, t.Count));
        Assert.Equal(100 * capped.SeenTest.Count, capped.Train.Count);
        Assert.Equal(10, all.SeenTest.Count);
        Assert.Empty(all.UnseenTest);
        Assert.All(all.SeenTest.Values, t => Assert.Equal(90, t.Count));
        Assert.Equal(10 * 210, all.Train.Count);
    }

    /// <summary>Each pair answers its own prompt, so pairs never share items.</summary>
    private static PreferenceDataset Dataset(int users, int pairsPerUser, Func<int, string?> split)
    {
        var prompts = new List<PromptRecord>();
        var items = new List<ItemRecord>();
        var pairs = new List<PairJudgment>();
        for (int u = 0; u < users; u++)
        {
            for (int i = 0; i < pairsPerUser; i++)
            {
                string prompt = $"p{u}-{i}";
                prompts.Add(new PromptRecord(prompt, prompt));
                items.Add(new ItemRecord(prompt + "/a", prompt, "a"));
                items.Add(new ItemRecord(prompt + "/b", prompt, "b"));
                pairs.Add(new PairJudgment($"u{u}", prompt, prompt + "/a", prompt + "/b", i, split(i)));
            }
        }

        return new PreferenceDataset("synthetic", prompts, items, pairs);
    }
}

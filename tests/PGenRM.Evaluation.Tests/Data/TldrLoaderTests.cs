using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class TldrLoaderTests
{
    [Fact]
    public void Load_ReadsEveryComparisonOfBothBatches()
    {
        var folder = SharedDatasets.Folder("summarize-from-feedback-tldr");
        // README: 1,097 + 674 lines, one comparison each; nothing is filtered.
        Assert.Equal(1097, File.ReadLines(Path.Combine(folder, "batch13.json")).Count(l => l.Length > 0));
        Assert.Equal(674, File.ReadLines(Path.Combine(folder, "batch18.json")).Count(l => l.Length > 0));

        var tldr = SharedDatasets.Tldr;

        Assert.Equal(1771, tldr.Pairs.Count);
        Assert.Empty(tldr.Ratings);
        Assert.Empty(tldr.StatedPreferences);
        Assert.Equal(1003, tldr.Prompts.Count);
        Assert.Equal(Enumerable.Range(1, 1771).Select(i => (long)i), tldr.Pairs.Select(p => p.Order));
    }

    [Fact]
    public void Load_MatchesTheReadmeWorkerCounts()
    {
        var tldr = SharedDatasets.Tldr;

        Assert.Equal(30, tldr.UserIds.Count);
        int[] perWorker = [168, 140, 128, 127, 115, 83, 79, 74, 74, 69, 60, 60, 59, 57, 52, 49, 47, 40, 38, 37, 33, 32, 30, 26, 22, 20, 16, 16, 10, 10];
        Assert.Equal(perWorker, tldr.Pairs.GroupBy(p => p.UserId).Select(g => g.Count()).OrderDescending());
    }

    [Fact]
    public void Load_PairsCompareTwoDifferentSummariesOfTheSamePost()
    {
        var tldr = SharedDatasets.Tldr;

        foreach (var pair in tldr.Pairs)
        {
            Assert.NotEqual(pair.ChosenId, pair.RejectedId);
            Assert.Equal(pair.PromptId, tldr.Items[pair.ChosenId].PromptId);
            Assert.Equal(pair.PromptId, tldr.Items[pair.RejectedId].PromptId);
            Assert.StartsWith(pair.PromptId + "/", pair.ChosenId, StringComparison.Ordinal);
        }

        // README: 1,549 distinct (post, summary pair) items; 2,250 distinct summaries (checked with a separate script).
        Assert.Equal(1549, tldr.Pairs.Select(p => string.CompareOrdinal(p.ChosenId, p.RejectedId) < 0 ? (p.ChosenId, p.RejectedId) : (p.RejectedId, p.ChosenId)).Distinct().Count());
        Assert.Equal(2250, tldr.Items.Count);
    }

    [Fact]
    public void Load_KeepsConfidenceSplitAndPromptLayout()
    {
        var tldr = SharedDatasets.Tldr;

        // Raw confidence 1/9 → 4, 2/8 → 3, 3/7 → 2, 4/6 → 1; raw counts 1:284 9:255 2:209 8:144 3:254 7:227 4:227 6:171.
        var strength = tldr.Pairs.GroupBy(p => p.Confidence).ToDictionary(g => g.Key ?? -1, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [4] = 539, [3] = 353, [2] = 481, [1] = 398 }, strength);
        Assert.Equal(385, tldr.Pairs.Count(p => p.SourceSplit == "valid1"));
        Assert.Equal(1386, tldr.Pairs.Count(p => p.SourceSplit == "valid2"));

        var first = tldr.Pairs[0];
        Assert.Equal("M4bdOszgybjO2qg2Dth5I1GOYAvE7V", first.UserId);
        Assert.Equal("t3_4ne9lx", first.PromptId);
        Assert.StartsWith("SUBREDDIT: r/relationships\nTITLE: Unsure if new relationship will work out, need advice\nPOST: (I'm 15M she's 14F)", tldr.Prompts["t3_4ne9lx"].Text, StringComparison.Ordinal);
        Assert.StartsWith("Started dating this girl 3 weeks ago", tldr.Items[first.ChosenId].Text, StringComparison.Ordinal);
        Assert.Equal(2, first.Confidence); // raw extra.confidence 3: summary 0, fairly sure
    }

    [Fact]
    public void Load_NamesFileAndLineOfABadRow()
    {
        using var temp = new TempDirectory();
        var good = """{"info": {"id": "t3_a", "post": "p", "title": "t", "subreddit": "s"}, "summaries": [{"text": " x"}, {"text": " y"}], "choice": 1, "worker": "w", "split": "valid1", "extra": {"confidence": 8}}""";
        var bad = """{"info": {"id": "t3_b", "post": "p", "title": "t", "subreddit": "s"}, "summaries": [{"text": " x"}, {"text": " y"}], "choice": 0, "worker": "w", "extra": {"confidence": 7}}""";
        var path = temp.Write("batch.json", good + "\n\n" + bad + "\n");

        var ex = Assert.Throws<DatasetFormatException>(() => TldrLoader.Load(temp.Path, ["batch.json"]));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("confidence", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeduplicatesSummariesWithinAPostByNormalisedText()
    {
        using var temp = new TempDirectory();
        temp.Write("b.json", """
            {"info": {"id": "t3_a", "post": "body", "title": "t", "subreddit": "s"}, "summaries": [{"text": " one  two"}, {"text": " three"}], "choice": 0, "worker": "w1"}
            {"info": {"id": "t3_a", "post": "body", "title": "t", "subreddit": "s"}, "summaries": [{"text": " three"}, {"text": "one two "}], "choice": 1, "worker": "w2"}
            {"info": {"id": "t3_b", "post": "other", "title": "t", "subreddit": "s"}, "summaries": [{"text": " one two"}, {"text": " four"}], "choice": 0, "worker": "w1"}
            """);

        var data = TldrLoader.Load(temp.Path, ["b.json"]);

        Assert.Equal(4, data.Items.Count); // "one two" is one item in t3_a and another in t3_b
        Assert.Equal(data.Pairs[0].ChosenId, data.Pairs[1].ChosenId);
        Assert.NotEqual(data.Pairs[0].ChosenId, data.Pairs[2].ChosenId);
        Assert.Equal("one  two", data.Items[data.Pairs[0].ChosenId].Text);
        Assert.All(data.Pairs, p => Assert.Null(p.Confidence));
    }
}

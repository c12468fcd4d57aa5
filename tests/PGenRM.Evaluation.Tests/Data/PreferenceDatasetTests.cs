using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class PreferenceDatasetTests
{
    private static readonly PromptRecord[] s_prompts = [new("p", "prompt p"), new("q", "prompt q")];
    private static readonly ItemRecord[] s_items = [new("p/1", "p", "one"), new("p/2", "p", "two"), new("q/1", "q", "three")];

    [Fact]
    public void Constructor_IndexesRecordsAndCollectsUsers()
    {
        var data = new PreferenceDataset(
            "toy", s_prompts, s_items,
            pairs: [new PairJudgment("b", "p", "p/1", "p/2", 1, "train")],
            ratings: [new RatingJudgment("a", "q", "q/1", 1, 2)],
            statedPreferences: new Dictionary<string, string> { ["c"] = "I like short answers." },
            notes: ["one note"]);

        Assert.Equal(["a", "b", "c"], data.UserIds);
        Assert.Equal("two", data.Items["p/2"].Text);
        Assert.Equal(
            "toy: 2 prompts, 3 items, 3 users, 1 pairs, 1 ratings, 1 stated preferences\n"
            + "  judgments per user: min 1, median 1, max 1\n"
            + "  rating values: 1: 1\n"
            + "  note: one note\n",
            data.Describe().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Dictionaries_EnumerateInOrdinalIdOrderWhateverTheInputOrder()
    {
        var data = new PreferenceDataset(
            "toy", s_prompts.Reverse(), s_items.Reverse(),
            statedPreferences: new Dictionary<string, string> { ["z"] = "1", ["B"] = "2", ["a"] = "3" });

        Assert.Equal(["p", "q"], data.Prompts.Keys);
        Assert.Equal(["p/1", "p/2", "q/1"], data.Items.Keys);
        Assert.Equal(["B", "a", "z"], data.StatedPreferences.Keys);
    }

    [Fact]
    public void Constructor_RejectsBrokenReferences()
    {
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, [.. s_items, new ItemRecord("x", "missing", "t")]));
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, [.. s_items, new ItemRecord("p/1", "p", "again")]));
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, s_items, pairs: [new PairJudgment("u", "p", "p/1", "p/9", 1, null)]));
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, s_items, pairs: [new PairJudgment("u", "p", "p/1", "p/1", 1, null)]));
        var crossPrompt = Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, s_items, pairs: [new PairJudgment("u", "p", "p/1", "q/1", 1, null)]));
        Assert.Contains("belongs to prompt 'q'", crossPrompt.Message, StringComparison.Ordinal);
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, s_items, ratings: [new RatingJudgment("u", "p", "p/1", 1, 1), new RatingJudgment("u", "p", "p/1", -1, 2)]));
        Assert.Throws<DatasetFormatException>(() => new PreferenceDataset("t", s_prompts, s_items, ratings: [new RatingJudgment("", "p", "p/1", 1, 1)]));
    }
}

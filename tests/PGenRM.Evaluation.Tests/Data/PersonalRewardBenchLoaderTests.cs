using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class PersonalRewardBenchLoaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", name);

    [Fact]
    public void Load_JsonLines_ParsesStringsAndTurnLists()
    {
        var data = PersonalRewardBenchLoader.Load(Fixture("personal-reward-bench-sample.jsonl"));

        Assert.Equal("personal-reward-bench-sample", data.Name);
        Assert.Equal(8, data.Pairs.Count);
        Assert.Equal(["42", "u1", "u2", "u3", "u4"], data.UserIds);
        Assert.Equal([1L, 2, 3, 5, 6, 7, 8, 9], data.Pairs.Select(p => p.Order)); // line numbers; line 4 is blank
        Assert.Equal(["train", "train", "test", "train", "test", "train", "test", null], data.Pairs.Select(p => p.SourceSplit));

        // A turn-list context gives its first user turn; turn-list responses give their last assistant turn.
        var novel = data.Pairs[1];
        Assert.Equal("Recommend a sci-fi novel.", data.Prompts[novel.PromptId].Text);
        Assert.Equal("Dune, by Frank Herbert.", data.Items[novel.ChosenId].Text);
        Assert.Equal("I cannot recommend books.", data.Items[novel.RejectedId].Text);
        Assert.Equal("How do I boil an egg?", data.Prompts[data.Pairs[3].PromptId].Text);
        Assert.Equal("Put it in water.", data.Items[data.Pairs[3].RejectedId].Text);
    }

    [Fact]
    public void Load_JsonLines_SharesPromptsAndItemsAcrossUsersByNormalisedText()
    {
        var data = PersonalRewardBenchLoader.Load(Fixture("personal-reward-bench-sample.jsonl"));

        // Rows 1 and 3: same context, and "Ash, Smokey or Pebble." differs only in white space.
        Assert.Equal(data.Pairs[0].PromptId, data.Pairs[2].PromptId);
        Assert.Equal(data.Pairs[0].ChosenId, data.Pairs[2].ChosenId);
        // Rows 6 and 7 (user u3): one response is rejected in one and chosen in the other.
        Assert.Equal(data.Pairs[5].RejectedId, data.Pairs[6].ChosenId);
        Assert.Equal(6, data.Prompts.Count);
        Assert.Equal(14, data.Items.Count);
        Assert.All(data.Pairs, p => Assert.StartsWith(p.PromptId + "/", p.ChosenId, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Csv_ReadsJsonTurnCellsAndPlainText()
    {
        var data = PersonalRewardBenchLoader.Load(Fixture("personal-reward-bench-sample.csv"));
        var jsonl = PersonalRewardBenchLoader.Load(Fixture("personal-reward-bench-sample.jsonl"));

        Assert.Equal(3, data.Pairs.Count);
        Assert.Equal(jsonl.Pairs[0] with { Order = 2 }, data.Pairs[0]); // same ids as the JSON Lines row; Order = line
        Assert.Equal("Two lines\nof context", data.Prompts[data.Pairs[1].PromptId].Text);
        Assert.Equal("Noted.", data.Items[data.Pairs[1].ChosenId].Text);
        Assert.Null(data.Pairs[1].SourceSplit);
        Assert.Equal(5, data.Pairs[2].Order); // the quoted context of line 3 spans two lines
        Assert.Equal("[Draft] Fix this sentence: me and him went.", data.Prompts[data.Pairs[2].PromptId].Text);
    }

    [Theory]
    [InlineData("""{"user_id": "u", "context": "c", "chosen": "a"}""", "missing field 'rejected'")]
    [InlineData("{\"user_id\": \"u\", \"context\": \"c\"", "")]
    [InlineData("""{"user_id": "u", "context": [{"role": "system", "content": "s"}], "chosen": "a", "rejected": "b"}""", "no turn with role 'user'")]
    [InlineData("""{"user_id": "u", "context": "c", "chosen": [{"role": "user", "content": "q"}], "rejected": "b"}""", "no turn with role 'assistant'")]
    [InlineData("""{"user_id": "u", "context": "c", "chosen": "same  text", "rejected": "same text"}""", "same text")]
    [InlineData("""{"user_id": "", "context": "c", "chosen": "a", "rejected": "b"}""", "'user_id' is empty")]
    public void Load_MalformedRow_Strict_NamesFileAndLine(string badRow, string reason)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("rows.jsonl", $"{Good("a")}\n{Good("b")}\n{badRow}\n{Good("c")}\n");

        var ex = Assert.Throws<DatasetFormatException>(() => PersonalRewardBenchLoader.Load(path, strict: true));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.StartsWith($"{path}:3: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"user_id": "u", "context": "c", "chosen": "a"}""")]
    [InlineData("{\"user_id\": \"u\", \"context\": \"c\"")]
    [InlineData("""{"user_id": "", "context": "c", "chosen": "a", "rejected": "b"}""")]
    public void Load_MalformedRow_Lenient_IsSkippedAndCounted(string badRow)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("rows.jsonl", $"{Good("a")}\n{badRow}\n{Good("b")}\n");

        var data = PersonalRewardBenchLoader.Load(path);

        Assert.Equal([1L, 3L], data.Pairs.Select(p => p.Order));
        Assert.Equal(["skipped 1 malformed row(s)"], data.Notes);
    }

    [Fact]
    public void Load_WhitespaceOnlyDifferencesAndRepeats_AreSkippedAndCounted()
    {
        using var temp = new TempDirectory();
        var same = """{"user_id": "u", "context": "c", "chosen": "same  text\n", "rejected": " same text"}""";
        var repeat = """{"user_id": "u", "context": "c ", "chosen": "x\t1", "rejected": "z"}""";
        var otherUser = """{"user_id": "v", "context": "c", "chosen": "x 1", "rejected": "z"}""";
        var path = temp.Write("rows.jsonl", $"{Good("x 1")}\n{same}\n{repeat}\n{otherUser}\n{same}\n");

        var data = PersonalRewardBenchLoader.Load(path);

        Assert.Equal([("u", 1L), ("v", 4L)], data.Pairs.Select(p => (p.UserId, p.Order)));
        Assert.Equal(
            ["skipped 2 pair(s) whose answers are equal after white-space normalisation", "skipped 1 row(s) repeating an earlier pair of the same user"],
            data.Notes);
        Assert.Contains("note: skipped 2 pair(s)", data.Describe(), StringComparison.Ordinal);

        var strict = Assert.Throws<DatasetFormatException>(() => PersonalRewardBenchLoader.Load(path, strict: true));
        Assert.Equal(2, strict.LineNumber);
    }

    private static string Good(string chosen) => $$"""{"user_id": "u", "context": "c", "chosen": "{{chosen}}", "rejected": "z"}""";

    [Fact]
    public void Load_CsvMissingColumn_NamesTheHeaderLine()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("rows.csv", "user_id,context,chosen\nu,c,a\n");

        var ex = Assert.Throws<DatasetFormatException>(() => PersonalRewardBenchLoader.Load(path));

        Assert.Equal((path, 1L), (ex.FilePath, ex.LineNumber));
        Assert.Contains("missing column 'rejected'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Parquet_IsRefusedWithAHint()
    {
        var ex = Assert.Throws<NotSupportedException>(() => PersonalRewardBenchLoader.Load("rows.parquet"));

        Assert.Contains("convert it", ex.Message, StringComparison.Ordinal);
    }
}

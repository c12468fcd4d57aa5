using Microsoft.VisualBasic.FileIO;
using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class PolisLoaderTests
{
    /// <summary>The smallest English conversation with a votes.csv (39 comments, 640 vote rows).</summary>
    private const string Small = "london.youth.policing";

    [Fact]
    public void Load_SmallConversation_MatchesAnIndependentRecount()
    {
        var folder = SharedDatasets.Folder("polis-opendata");
        var expected = Recount(Path.Combine(folder, Small));

        var data = PolisLoader.Load(folder, [Small]);

        Assert.Equal(expected.Statements, data.Items.Count);
        Assert.Equal(expected.Votes.Count, data.Ratings.Count);
        Assert.Equal(
            expected.Votes.OrderBy(v => v.Key).Select(v => (v.Key.Voter, v.Key.Comment, v.Value)),
            data.Ratings.Select(r => (r.UserId[(Small.Length + 1)..], r.ItemId[(Small.Length + 1)..], (int)r.Value)).Order());
        // Pinned too, from a separate script, so that a shared mistake in both counts cannot pass.
        Assert.Equal(36, data.Items.Count);
        Assert.Equal(560, data.Ratings.Count);
        Assert.Equal(25, data.UserIds.Count);
        Assert.Equal("What is the best way to engage more young people in local scrutiny of policing?", data.Prompts[Small].Text);
    }

    [Fact]
    public void Load_SmallConversation_HasNoPassesAndNoSelfAuthoredVotes()
    {
        var folder = SharedDatasets.Folder("polis-opendata");
        var data = PolisLoader.Load(folder, [Small]);
        var authors = ReadComments(Path.Combine(folder, Small)).ToDictionary(c => c.Id, c => c.Author);

        Assert.All(data.Ratings, r => Assert.True(r.Value is 1 or -1));
        Assert.All(data.Ratings, r => Assert.NotEqual(authors[r.ItemId[(Small.Length + 1)..]], r.UserId[(Small.Length + 1)..]));
        Assert.All(data.Ratings, r => Assert.StartsWith(Small + "/", r.UserId, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DefaultConversations_MatchTheFeasibilityCounts()
    {
        var polis = SharedDatasets.Polis;

        // notes/feasibility.md "Setup": 708 statements, 87,873 agree/disagree votes.
        Assert.Equal(PolisLoader.DefaultConversations.Order(), polis.Prompts.Keys.Order());
        Assert.Equal(708, polis.Items.Count);
        Assert.Equal(87_873, polis.Ratings.Count);
        Assert.Equal(2_001, polis.UserIds.Count);
        Assert.Empty(polis.Pairs);
        Assert.All(polis.Ratings, r => Assert.StartsWith(r.PromptId + "/", r.UserId, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SyntheticConversation_AppliesEveryRule()
    {
        using var temp = new TempDirectory();
        temp.Write("tiny/summary.csv", """
            topic,Tiny topic
            url,https://example.invalid
            conversation-description,"Line one, with a comma
            Line two"
            """);
        temp.Write("tiny/comments.csv", """
            timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
            1,d,3,13,0,0,1,"  Build   more
             houses "
            1,d,0,10,0,0,1,Build more houses
            1,d,1,11,0,0,0,"Tax land, not buildings"
            1,d,2,12,0,0,-1,Spam spam
            1,d,4,14,0,0,1,"She said ""yes"", then left"
            """);
        temp.Write("tiny/votes.csv", """
            timestamp,datetime,comment-id,voter-id,vote
            200,d,0,1,-1
            100,d,0,1,1
            150,d,1,1,1
            160,d,2,1,1
            300,d,4,1,0
            250,d,4,1,1
            400,d,0,2,-1
            500,d,3,2,1
            410,d,1,2,-1
            600,d,0,10,1
            610,d,1,10,1
            620,d,0,13,1
            50,d,4,13,-1
            700,d,1,3,1
            700,d,1,3,-1
            """);
        temp.Write("novotes/summary.csv", "topic,No votes here\n");
        temp.Write("novotes/comments.csv", "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n");

        var data = PolisLoader.Load(temp.Path, ["tiny", "novotes"]);

        Assert.Equal(["tiny"], data.Prompts.Keys);
        Assert.Equal("Tiny topic\n\nLine one, with a comma\nLine two", data.Prompts["tiny"].Text);
        Assert.Equal(
            [
                new ItemRecord("tiny/0", "tiny", "Build more houses"),
                new ItemRecord("tiny/1", "tiny", "Tax land, not buildings"),
                new ItemRecord("tiny/4", "tiny", "She said \"yes\", then left"),
            ],
            data.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal));
        RatingJudgment[] expected =
        [
            new("tiny/13", "tiny", "tiny/4", -1, 50),   // voter 13 wrote a copy of comment 0, but not comment 4
            new("tiny/1", "tiny", "tiny/1", 1, 150),
            new("tiny/1", "tiny", "tiny/0", -1, 200),   // re-vote: the later timestamp wins, not the later row
            new("tiny/2", "tiny", "tiny/1", -1, 410),
            new("tiny/2", "tiny", "tiny/0", 1, 500),    // comment 3 is a copy of 0; its vote at 500 is the latest
            new("tiny/10", "tiny", "tiny/1", 1, 610),   // voter 10's vote on their own comment 0 is dropped
            new("tiny/3", "tiny", "tiny/1", -1, 700),   // equal timestamps: the later row wins
        ];
        Assert.Equal(expected, data.Ratings);
        Assert.Contains(data.Notes, n => n.StartsWith("novotes: skipped, no votes.csv", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.Contains("1 moderated out", StringComparison.Ordinal) && n.Contains("1 duplicate texts merged", StringComparison.Ordinal));
        Assert.Contains("novotes: skipped", data.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesFileAndLineOfABadVote()
    {
        using var temp = new TempDirectory();
        temp.Write("c/summary.csv", "topic,T\n");
        temp.Write("c/comments.csv", "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,d,0,1,0,0,1,\"multi\nline\"\n");
        var votes = temp.Write("c/votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,5,1\n2,d,0,6,2\n");

        var ex = Assert.Throws<DatasetFormatException>(() => PolisLoader.Load(temp.Path, ["c"]));

        Assert.Equal(votes, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.StartsWith($"{votes}:3: column 'vote'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownConversation_Throws()
    {
        using var temp = new TempDirectory();

        Assert.Throws<DirectoryNotFoundException>(() => PolisLoader.Load(temp.Path, ["nope"]));
    }

    /// <summary>
    /// The rules re-implemented as plainly as possible over the BCL's own CSV parser (TextFieldParser), independent of
    /// the loader's reader: latest vote per (voter, comment) by (timestamp, row); passes, moderated-out and self-authored
    /// votes dropped. The small conversation has no duplicate texts, which the recount asserts rather than handles.
    /// </summary>
    private static (int Statements, Dictionary<(string Voter, string Comment), int> Votes) Recount(string directory)
    {
        var comments = ReadComments(directory).Where(c => c.Moderated != "-1").ToDictionary(c => c.Id);
        Assert.Equal(comments.Count, comments.Values.Select(c => string.Join(' ', c.Body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).Distinct().Count());

        var latest = new Dictionary<(string Voter, string Comment), (long Time, int Row, int Vote)>();
        var rows = ReadCsv(Path.Combine(directory, "votes.csv"));
        for (var row = 0; row < rows.Count; row++)
        {
            var (time, comment, voter, vote) = (long.Parse(rows[row]["timestamp"]), rows[row]["comment-id"], rows[row]["voter-id"], int.Parse(rows[row]["vote"]));
            if (!latest.TryGetValue((voter, comment), out var seen) || (time, row).CompareTo((seen.Time, seen.Row)) >= 0)
            {
                latest[(voter, comment)] = (time, row, vote);
            }
        }

        var votes = latest
            .Where(v => v.Value.Vote != 0 && comments.TryGetValue(v.Key.Comment, out var c) && c.Author != v.Key.Voter)
            .ToDictionary(v => v.Key, v => v.Value.Vote);
        return (comments.Count, votes);
    }

    private static IEnumerable<(string Id, string Author, string Moderated, string Body)> ReadComments(string directory) =>
        ReadCsv(Path.Combine(directory, "comments.csv")).Select(r => (r["comment-id"], r["author-id"], r["moderated"], r["comment-body"]));

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        var rows = new List<Dictionary<string, string>>();
        while (!parser.EndOfData)
        {
            var fields = parser.ReadFields()!;
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }

        return rows;
    }
}

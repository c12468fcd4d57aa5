using System.Globalization;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Loads Polis open-data conversations (<c>polis-opendata/</c>) as agree (+1) / disagree (−1) ratings, with the rules of
/// the feasibility experiment: the latest vote per (voter, statement) counts; passes are dropped; statements moderated
/// out are dropped; a voter's votes on statements they wrote are dropped; statements are deduplicated by normalised text
/// within a conversation. Turn the ratings into pairs with <see cref="RatingPairing"/>.
/// </summary>
/// <remarks>
/// Ids: prompt = the conversation folder name; item = <c>{conversation}/{comment-id}</c>, where duplicates map to the
/// smallest comment id of their text; user = <c>{conversation}/{voter-id}</c>, because participant ids are local to a
/// conversation. A rating's <see cref="RatingJudgment.Order"/> is the vote's timestamp in ms.
/// </remarks>
public static class PolisLoader
{
    /// <summary>The five English conversations of the feasibility experiment.</summary>
    public static IReadOnlyList<string> DefaultConversations { get; } =
    [
        "canadian-electoral-reform",
        "scoop-hivemind.affordable-housing",
        "scoop-hivemind.taxes",
        "scoop-hivemind.biodiversity",
        "ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
    ];

    /// <summary>Loads conversations from the <c>polis-opendata</c> folder.</summary>
    /// <param name="folder">The <c>polis-opendata</c> folder, one sub-folder per conversation.</param>
    /// <param name="conversations">Conversation folder names; <see cref="DefaultConversations"/> when omitted.
    /// A conversation without <c>votes.csv</c> is skipped, and the reason is recorded in <see cref="PreferenceDataset.Notes"/>
    /// (its <c>participants-votes.csv</c> has final votes only, without the timestamps the latest-vote rule needs).</param>
    /// <returns>A dataset named <c>polis</c> with ratings only.</returns>
    /// <exception cref="DirectoryNotFoundException">A named conversation folder does not exist.</exception>
    /// <exception cref="DatasetFormatException">A file is malformed; the message names the file and line.</exception>
    public static PreferenceDataset Load(string folder, IEnumerable<string>? conversations = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var prompts = new List<PromptRecord>();
        var items = new List<ItemRecord>();
        var ratings = new List<RatingJudgment>();
        var notes = new List<string>();
        foreach (var conversation in conversations ?? DefaultConversations)
        {
            var directory = Path.Combine(folder, conversation);
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"Polis conversation folder not found: {directory}");
            }

            if (!File.Exists(Path.Combine(directory, "votes.csv")))
            {
                notes.Add($"{conversation}: skipped, no votes.csv (only final votes without timestamps exist for it)");
                continue;
            }

            LoadConversation(directory, conversation, prompts, items, ratings, notes);
        }

        return new PreferenceDataset("polis", prompts, items, ratings: ratings, notes: notes);
    }

    private static void LoadConversation(
        string directory, string conversation, List<PromptRecord> prompts, List<ItemRecord> items, List<RatingJudgment> ratings, List<string> notes)
    {
        prompts.Add(new PromptRecord(conversation, ReadPrompt(Path.Combine(directory, "summary.csv"))));
        var statements = ReadStatements(Path.Combine(directory, "comments.csv"), conversation);
        items.AddRange(statements.Kept);

        var votes = ReadLatestVotes(Path.Combine(directory, "votes.csv"), statements.CanonicalId, out var rows);
        int passes = 0, selfAuthored = 0, kept = 0;
        foreach (var ((voter, itemId), vote) in votes.OrderBy(v => v.Value.Timestamp).ThenBy(v => v.Value.Row))
        {
            if (vote.Value == 0)
            {
                passes++;
                continue;
            }

            if (statements.Authors[itemId].Contains(voter))
            {
                selfAuthored++;
                continue;
            }

            kept++;
            ratings.Add(new RatingJudgment($"{conversation}/{voter}", conversation, itemId, vote.Value, vote.Timestamp));
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{conversation}: {statements.Total:N0} comments, {statements.Kept.Count:N0} kept ({statements.ModeratedOut:N0} moderated out, "
            + $"{statements.Empty:N0} empty, {statements.Duplicates:N0} duplicate texts merged); {rows:N0} vote rows, "
            + $"{votes.Count:N0} latest (voter, statement) votes, {passes:N0} passes and {selfAuthored:N0} self-authored dropped, {kept:N0} kept"));
    }

    private static string ReadPrompt(string path)
    {
        // summary.csv is key,value rows without a header; values can be quoted and span lines.
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = new CsvRecordReader(path))
        {
            while (reader.TryRead(out var fields))
            {
                if (fields.Length >= 2)
                {
                    values.TryAdd(fields[0].Trim(), fields[1]);
                }
            }
        }

        if (!values.TryGetValue("topic", out var topic) || string.IsNullOrWhiteSpace(topic))
        {
            throw new DatasetFormatException("no 'topic' row", path, lineNumber: null);
        }

        var description = values.GetValueOrDefault("conversation-description", "").Trim();
        return description.Length == 0 ? topic.Trim() : $"{topic.Trim()}\n\n{description}";
    }

    private static Statements ReadStatements(string path, string conversation)
    {
        var rows = new List<(long Id, string RawId, string Author, int Moderated, string Body, long Line)>();
        using (var table = CsvTable.Open(path))
        {
            int idColumn = table.Column("comment-id"), authorColumn = table.Column("author-id"),
                moderatedColumn = table.Column("moderated"), bodyColumn = table.Column("comment-body");
            while (table.Read())
            {
                var moderated = table.GetInt64(moderatedColumn, "moderated");
                if (moderated is < -1 or > 1)
                {
                    throw table.Error($"column 'moderated': {moderated} is not -1, 0 or 1");
                }

                rows.Add((table.GetInt64(idColumn, "comment-id"), table.Get(idColumn).Trim(), table.Get(authorColumn).Trim(),
                    (int)moderated, table.Get(bodyColumn), table.Line));
            }
        }

        var result = new Statements { Total = rows.Count };
        var byText = new Dictionary<string, string>(StringComparer.Ordinal);
        // Smallest comment id first, so that the id kept for a duplicated text does not depend on file order.
        foreach (var row in rows.OrderBy(r => r.Id))
        {
            if (result.CanonicalId.ContainsKey(row.RawId))
            {
                throw new DatasetFormatException($"comment-id {row.RawId} occurs more than once", path, row.Line);
            }

            if (row.Moderated == -1)
            {
                result.ModeratedOut++;
                result.CanonicalId.Add(row.RawId, null);
                continue;
            }

            var text = TextKey.Normalize(row.Body);
            if (text.Length == 0)
            {
                result.Empty++;
                result.CanonicalId.Add(row.RawId, null);
                continue;
            }

            if (byText.TryGetValue(text, out var canonical))
            {
                result.Duplicates++;
            }
            else
            {
                canonical = $"{conversation}/{row.RawId}";
                byText.Add(text, canonical);
                result.Kept.Add(new ItemRecord(canonical, conversation, row.Body.Trim()));
                result.Authors.Add(canonical, new HashSet<string>(StringComparer.Ordinal));
            }

            result.CanonicalId.Add(row.RawId, canonical);
            // A voter who wrote any copy of a text wrote that statement.
            result.Authors[canonical].Add(row.Author);
        }

        return result;
    }

    private static Dictionary<(string Voter, string ItemId), Vote> ReadLatestVotes(
        string path, Dictionary<string, string?> canonicalId, out long rows)
    {
        var latest = new Dictionary<(string Voter, string ItemId), Vote>();
        rows = 0;
        using var table = CsvTable.Open(path);
        int timeColumn = table.Column("timestamp"), commentColumn = table.Column("comment-id"),
            voterColumn = table.Column("voter-id"), voteColumn = table.Column("vote");
        while (table.Read())
        {
            rows++;
            var commentId = table.Get(commentColumn).Trim();
            if (!canonicalId.TryGetValue(commentId, out var itemId))
            {
                throw table.Error($"vote on comment-id {commentId}, which comments.csv does not list");
            }

            var value = table.GetInt64(voteColumn, "vote");
            if (value is < -1 or > 1)
            {
                throw table.Error($"column 'vote': {value} is not -1, 0 or 1");
            }

            var timestamp = table.GetInt64(timeColumn, "timestamp");
            var voter = table.Get(voterColumn).Trim();
            if (voter.Length == 0)
            {
                throw table.Error("empty voter-id");
            }

            if (itemId is null)
            {
                continue;
            }

            // The latest vote wins; on equal timestamps the later row wins (votes.csv is not in time order, and re-votes
            // within the same millisecond occur a handful of times in the snapshot).
            var vote = new Vote((int)value, timestamp, rows);
            var key = (voter, itemId);
            if (!latest.TryGetValue(key, out var previous) || (timestamp, rows).CompareTo((previous.Timestamp, previous.Row)) >= 0)
            {
                latest[key] = vote;
            }
        }

        return latest;
    }

    private readonly record struct Vote(int Value, long Timestamp, long Row);

    private sealed class Statements
    {
        public int Total { get; init; }

        public int ModeratedOut { get; set; }

        public int Empty { get; set; }

        public int Duplicates { get; set; }

        public List<ItemRecord> Kept { get; } = [];

        /// <summary>Raw comment id → kept item id, or <see langword="null"/> for a dropped statement.</summary>
        public Dictionary<string, string?> CanonicalId { get; } = new(StringComparer.Ordinal);

        /// <summary>Kept item id → authors of every copy of its text.</summary>
        public Dictionary<string, HashSet<string>> Authors { get; } = new(StringComparer.Ordinal);
    }
}

using System.Text.Json;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Loads rows in the PersonalRewardBench / PRISM format — <c>user_id</c>, <c>context</c>, <c>chosen</c>, <c>rejected</c>,
/// and optionally <c>split</c> — from JSON Lines (<c>.jsonl</c>, <c>.json</c>) or CSV (<c>.csv</c>). The real files are not
/// available here; this loader lets anyone who has them run the evaluation.
/// </summary>
/// <remarks>
/// <para><c>context</c> is a string or a list of <c>{role, content}</c> turns; for a list, the first <c>user</c> turn's
/// content is the prompt (as the paper's code does). <c>chosen</c> and <c>rejected</c> are strings or turn lists; for a
/// list, the last <c>assistant</c> turn's content is the response. In CSV, a cell that holds a JSON array of turns is
/// read as a turn list; any other cell is plain text.</para>
/// <para>Ids: prompt = <c>prb/</c> + a hash of the normalised context text; item = prompt id + <c>/</c> + a hash of the
/// normalised response text, so the same response to the same context is one item across users.
/// <see cref="PairJudgment.Order"/> is the row's 1-based line number; <see cref="PairJudgment.SourceSplit"/> is <c>split</c>.</para>
/// <para>Parquet is not read: convert it first (for example <c>pandas.read_parquet(p).to_json(out, orient="records", lines=True)</c>).</para>
/// </remarks>
public static class PersonalRewardBenchLoader
{
    /// <summary>Loads one file; the format follows its extension.</summary>
    /// <param name="path">A <c>.jsonl</c>, <c>.json</c> (JSON Lines) or <c>.csv</c> file.</param>
    /// <param name="strict">
    /// <see langword="false"/> (default): a malformed row, a pair whose two answers are equal after white-space normalisation,
    /// and a row that repeats an earlier one of the same user (equal after normalisation) are skipped and counted in
    /// <see cref="PreferenceDataset.Notes"/> (real exports contain a few). <see langword="true"/>: the first such row throws.
    /// </param>
    /// <returns>A dataset named after the file (without extension) with pairs only.</returns>
    /// <exception cref="DatasetFormatException">Strict mode and a bad row (the message names the file and line), or
    /// the file is unreadable as a whole (CSV without the required columns).</exception>
    /// <exception cref="NotSupportedException">The extension is not one of the above.</exception>
    public static PreferenceDataset Load(string path, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var rows = extension switch
        {
            ".jsonl" or ".json" => ReadJsonLines(path, strict),
            ".csv" => ReadCsv(path, strict),
            ".parquet" => throw new NotSupportedException($"{path}: Parquet is not supported; convert it to JSON Lines or CSV first"),
            _ => throw new NotSupportedException($"{path}: unknown extension '{extension}'; expected .jsonl, .json or .csv"),
        };

        var prompts = new Dictionary<string, PromptRecord>(StringComparer.Ordinal);
        var items = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        var pairs = new List<PairJudgment>();
        var seen = new HashSet<(string User, string Chosen, string Rejected)>();
        int malformed = 0, sameText = 0, repeated = 0;
        foreach (var row in rows)
        {
            if (row.Error is { } error)
            {
                malformed++;
                continue;
            }

            var promptId = $"prb/{TextKey.Hash(row.Context)}";
            var chosen = $"{promptId}/{TextKey.Hash(row.Chosen)}";
            var rejected = $"{promptId}/{TextKey.Hash(row.Rejected)}";
            if (chosen == rejected)
            {
                // Ids hash the white-space-normalised text, so equal ids are answers that differ at most in white space.
                sameText++;
                if (strict)
                {
                    throw new DatasetFormatException("'chosen' and 'rejected' are the same text after white-space normalisation", path, row.Line);
                }

                continue;
            }

            if (!seen.Add((row.UserId, chosen, rejected)))
            {
                repeated++;
                if (strict)
                {
                    throw new DatasetFormatException($"user '{row.UserId}' judges the same pair again (equal after white-space normalisation)", path, row.Line);
                }

                continue;
            }

            prompts.TryAdd(promptId, new PromptRecord(promptId, row.Context.Trim()));
            AddItem(items, promptId, row.Chosen);
            AddItem(items, promptId, row.Rejected);
            pairs.Add(new PairJudgment(row.UserId, promptId, chosen, rejected, row.Line, row.Split));
        }

        var notes = new List<string>();
        if (malformed > 0)
        {
            notes.Add($"skipped {malformed} malformed row(s)");
        }

        if (sameText > 0)
        {
            notes.Add($"skipped {sameText} pair(s) whose answers are equal after white-space normalisation");
        }

        if (repeated > 0)
        {
            notes.Add($"skipped {repeated} row(s) repeating an earlier pair of the same user");
        }

        return new PreferenceDataset(Path.GetFileNameWithoutExtension(path), prompts.Values, items.Values, pairs, notes: notes);
    }

    private static string AddItem(Dictionary<string, ItemRecord> items, string promptId, string text)
    {
        var id = $"{promptId}/{TextKey.Hash(text)}";
        items.TryAdd(id, new ItemRecord(id, promptId, text.Trim()));
        return id;
    }

    private static IEnumerable<Row> ReadJsonLines(string path, bool strict)
    {
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            Row row;
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"expected a JSON object, found {root.ValueKind}");
                }

                row = new Row(
                    line,
                    UserId(Field(root, "user_id")),
                    Prompt(Field(root, "context"), "context"),
                    Response(Field(root, "chosen"), "chosen"),
                    Response(Field(root, "rejected"), "rejected"),
                    root.TryGetProperty("split", out var split) && split.ValueKind == JsonValueKind.String ? split.GetString() : null);
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                if (strict)
                {
                    throw new DatasetFormatException(ex.Message, path, line, ex);
                }

                row = Row.Invalid(line, ex.Message);
            }

            yield return row;
        }
    }

    private static IEnumerable<Row> ReadCsv(string path, bool strict)
    {
        using var table = CsvTable.Open(path);
        int user = table.Column("user_id"), context = table.Column("context"), chosen = table.Column("chosen"),
            rejected = table.Column("rejected"), split = table.OptionalColumn("split");
        while (table.Read())
        {
            Row row;
            try
            {
                var userId = table.Get(user).Trim();
                row = new Row(
                    table.Line,
                    userId.Length > 0 ? userId : throw new FormatException("'user_id' is empty"),
                    Prompt(CsvCell(table.Get(context)), "context"),
                    Response(CsvCell(table.Get(chosen)), "chosen"),
                    Response(CsvCell(table.Get(rejected)), "rejected"),
                    split >= 0 && table.Get(split).Trim().Length > 0 ? table.Get(split).Trim() : null);
            }
            catch (FormatException ex)
            {
                if (strict)
                {
                    throw new DatasetFormatException(ex.Message, table.FilePath, table.Line, ex);
                }

                row = Row.Invalid(table.Line, ex.Message);
            }

            yield return row;
        }
    }

    /// <summary>A CSV cell as a JSON value: a JSON array of turns when it parses as one, otherwise a string.</summary>
    private static JsonElement CsvCell(string cell)
    {
        if (cell.TrimStart().StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(cell);
                if (document.RootElement.ValueKind == JsonValueKind.Array)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Plain text that happens to start with '['.
            }
        }

        return JsonSerializer.SerializeToElement(cell);
    }

    private static JsonElement Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FormatException($"missing field '{name}'");

    private static string UserId(JsonElement value)
    {
        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            // Some exports store numeric ids; keep their exact JSON spelling.
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FormatException($"'user_id' must be a string or a number, found {value.ValueKind}"),
        };
        return id.Length > 0 ? id : throw new FormatException("'user_id' is empty");
    }

    private static string Prompt(JsonElement value, string name) => NonEmpty(value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => Turns(value, name).FirstOrDefault(t => t.Role == "user").Content
            ?? throw new FormatException($"'{name}' has no turn with role 'user'"),
        _ => throw new FormatException($"'{name}' must be a string or a list of turns, found {value.ValueKind}"),
    }, name);

    private static string Response(JsonElement value, string name) => NonEmpty(value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => Turns(value, name).LastOrDefault(t => t.Role == "assistant").Content
            ?? throw new FormatException($"'{name}' has no turn with role 'assistant'"),
        _ => throw new FormatException($"'{name}' must be a string or a list of turns, found {value.ValueKind}"),
    }, name);

    private static string NonEmpty(string text, string name) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException($"'{name}' is empty") : text;

    private static IEnumerable<(string Role, string? Content)> Turns(JsonElement array, string name)
    {
        foreach (var turn in array.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Object
                || !turn.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !turn.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"'{name}' holds a turn that is not {{\"role\": string, \"content\": string}}");
            }

            yield return (role.GetString()!, content.GetString());
        }
    }

    private sealed record Row(long Line, string UserId, string Context, string Chosen, string Rejected, string? Split, string? Error = null)
    {
        public static Row Invalid(long line, string error) => new(line, "", "", "", "", null, error);
    }
}

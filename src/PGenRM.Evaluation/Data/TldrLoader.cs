using System.Globalization;
using System.Text.Json;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Loads OpenAI's summarize-from-feedback TL;DR comparisons (<c>summarize-from-feedback-tldr/</c>): one JSON object per
/// line despite the <c>.json</c> extension. User = <c>worker</c>; prompt = the Reddit post; items = the two summaries,
/// deduplicated per post by normalised text; one pair per comparison from <c>choice</c>.
/// </summary>
public static class TldrLoader
{
    /// <summary>The batch files the shared data folder holds, in the order their comparisons are numbered.</summary>
    public static IReadOnlyList<string> DefaultFiles { get; } = ["batch13.json", "batch18.json"];

    /// <summary>Loads the comparison files from a folder.</summary>
    /// <param name="folder">The <c>summarize-from-feedback-tldr</c> folder.</param>
    /// <param name="fileNames">File names inside <paramref name="folder"/>; <see cref="DefaultFiles"/> when omitted.</param>
    /// <returns>A dataset named <c>tldr</c> with pairs only. <see cref="PairJudgment.Order"/> numbers comparisons across
    /// the files in reading order; <see cref="PairJudgment.SourceSplit"/> is OpenAI's post split (<c>valid1</c>/<c>valid2</c>),
    /// not a split by user; <see cref="PairJudgment.Confidence"/> is 1–4 (see there).</returns>
    /// <exception cref="DatasetFormatException">A line is not valid JSON or lacks a required field.</exception>
    public static PreferenceDataset Load(string folder, IEnumerable<string>? fileNames = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var prompts = new Dictionary<string, PromptRecord>(StringComparer.Ordinal);
        var items = new Dictionary<string, ItemRecord>(StringComparer.Ordinal);
        var pairs = new List<PairJudgment>();
        var notes = new List<string>();
        var identical = 0;
        long order = 0;

        foreach (var fileName in fileNames ?? DefaultFiles)
        {
            var path = Path.Combine(folder, fileName);
            long lineNumber = 0;
            var fileCount = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(line);
                    var comparison = ReadComparison(document.RootElement);
                    if (prompts.TryGetValue(comparison.PostId, out var known))
                    {
                        if (!string.Equals(known.Text, comparison.PromptText, StringComparison.Ordinal))
                        {
                            throw new FormatException($"post '{comparison.PostId}' appears with a different title, body or subreddit than before");
                        }
                    }
                    else
                    {
                        prompts.Add(comparison.PostId, new PromptRecord(comparison.PostId, comparison.PromptText));
                    }

                    var chosen = AddItem(items, comparison.PostId, comparison.Summaries[comparison.Choice]);
                    var rejected = AddItem(items, comparison.PostId, comparison.Summaries[1 - comparison.Choice]);
                    order++;
                    fileCount++;
                    if (string.Equals(chosen, rejected, StringComparison.Ordinal))
                    {
                        identical++;
                        continue;
                    }

                    pairs.Add(new PairJudgment(comparison.Worker, comparison.PostId, chosen, rejected, order, comparison.Split)
                    {
                        Confidence = comparison.Confidence,
                    });
                }
                catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
                {
                    throw new DatasetFormatException(ex.Message, path, lineNumber, ex);
                }
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{fileName}: {fileCount:N0} comparisons"));
        }

        if (identical > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"dropped {identical:N0} comparisons whose two summaries are identical after normalising white space"));
        }

        return new PreferenceDataset("tldr", prompts.Values, items.Values, pairs, notes: notes);
    }

    /// <summary>
    /// The prompt text in the layout of OpenAI's own summarisation query ("SUBREDDIT: r/…", "TITLE: …", "POST: …"),
    /// without the trailing "TL;DR:" cue: the reward model sees what the summariser saw.
    /// </summary>
    internal static string PromptText(string subreddit, string title, string post) =>
        $"SUBREDDIT: r/{subreddit.Trim()}\nTITLE: {title.Trim()}\nPOST: {post.Trim()}";

    private static string AddItem(Dictionary<string, ItemRecord> items, string postId, string text)
    {
        // The id is scoped to the post: the same words can summarise two posts and are different items there.
        var id = $"{postId}/{TextKey.Hash(text)}";
        // Stored texts are trimmed: the release prefixes every summary with a space (a tokenisation artefact).
        items.TryAdd(id, new ItemRecord(id, postId, text.Trim()));
        return id;
    }

    private static Comparison ReadComparison(JsonElement root)
    {
        var info = Required(root, "info");
        var postId = RequiredString(info, "id");
        var promptText = PromptText(OptionalString(info, "subreddit") ?? "", OptionalString(info, "title") ?? "", RequiredString(info, "post"));

        var summaries = Required(root, "summaries");
        if (summaries.ValueKind != JsonValueKind.Array || summaries.GetArrayLength() != 2)
        {
            throw new FormatException("'summaries' must be an array of exactly two objects");
        }

        string[] texts = [RequiredString(summaries[0], "text"), RequiredString(summaries[1], "text")];
        var choiceElement = Required(root, "choice");
        if (choiceElement.ValueKind != JsonValueKind.Number || !choiceElement.TryGetInt32(out var choice) || choice is not (0 or 1))
        {
            throw new FormatException($"'choice' must be 0 or 1, found {choiceElement.GetRawText()}");
        }

        int? confidence = null;
        if (root.TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.Object
            && extra.TryGetProperty("confidence", out var confidenceElement) && confidenceElement.ValueKind == JsonValueKind.Number)
        {
            var raw = confidenceElement.GetInt32();
            // 1–4 prefer summary 0, 6–9 summary 1 (README); a value that contradicts `choice` means the row is corrupt.
            if (raw is < 1 or > 9 or 5 || (raw < 5) != (choice == 0))
            {
                throw new FormatException($"'extra.confidence' {raw} does not agree with 'choice' {choice}");
            }

            confidence = Math.Abs(raw - 5);
        }

        return new Comparison(postId, promptText, texts, choice, RequiredString(root, "worker"), OptionalString(root, "split"), confidence);
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new FormatException($"missing field '{name}'");

    private static string RequiredString(JsonElement element, string name)
    {
        var value = Required(element, name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"field '{name}' must be a string, found {value.ValueKind}");
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record Comparison(
        string PostId, string PromptText, string[] Summaries, int Choice, string Worker, string? Split, int? Confidence);
}

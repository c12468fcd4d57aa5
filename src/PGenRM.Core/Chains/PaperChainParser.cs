using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PGenRM.Core.Chains;

/// <summary>
/// Reads <see cref="PaperChainFormat"/>'s shape, and the paper model's own output (scores and rationale only): finds the
/// block between the markers, tolerates Markdown fences, trailing commas, comments and quoted numbers, and reports the
/// first problem with its position. Hand-written <see cref="JsonDocument"/> code: the leniency and the messages that
/// name what is wrong are the point, which source-generated deserialization does not give.
/// </summary>
internal static class PaperChainParser
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads a chain written by <see cref="PaperChainFormat.Serialize"/> (it needs the <c>chain</c> object).</summary>
    /// <param name="text">The full output, with or without Part 1.</param>
    /// <exception cref="ChainFormatException">A marker is missing, the JSON is invalid (the message gives the position),
    /// <c>better_response</c> or <c>chain</c> is missing, a score is not numeric, the weights do not sum to 100, or the
    /// chain is otherwise inconsistent.</exception>
    public static EvaluationChain Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var document = ReadBlock(text);
        var root = document.RootElement;
        var betterResponse = ReadBetterResponse(root);
        if (!root.TryGetProperty("chain", out var chainElement))
        {
            throw new ChainFormatException(
                "The JSON block has no \"chain\" object (a paper-model output has only rationale and better_response; use ParseScores for it).");
        }

        var chain = ReadChain(chainElement);
        if (betterResponse.Length != chain.Responses.Count)
        {
            throw new ChainFormatException(
                $"better_response has {betterResponse.Length} scores but the chain has {chain.Responses.Count} responses.");
        }

        return chain;
    }

    /// <summary>Like <see cref="Parse"/>, but reports a malformed text through <paramref name="error"/> instead of throwing.</summary>
    /// <param name="text">The full output.</param>
    /// <param name="chain">The chain, when the text is well formed.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EvaluationChain? chain, [NotNullWhen(false)] out string? error) =>
        TryRead(text, Parse, out chain, out error);

    /// <summary>
    /// Reads only the <c>better_response</c> scores, in order (<c>response_1</c> first). This is what a paper-model
    /// output holds; other keys and the <c>rationale</c> are ignored. Markdown code fences inside the block are tolerated.
    /// </summary>
    /// <param name="text">The model's output.</param>
    /// <exception cref="ChainFormatException">A marker is missing, the JSON is invalid, <c>better_response</c> is missing
    /// or not an object, its keys are not <c>response_1</c> … <c>response_n</c>, or a score is not numeric.</exception>
    public static double[] ParseScores(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var document = ReadBlock(text);
        return ReadBetterResponse(document.RootElement);
    }

    /// <summary>
    /// Reads a paper-model output's <c>better_response</c> scores (as <see cref="ParseScores"/>) and its <c>rationale</c>
    /// string (null when absent or not a string), through the same block reader.
    /// </summary>
    /// <param name="text">The model's output.</param>
    /// <exception cref="ChainFormatException">As <see cref="ParseScores"/>.</exception>
    public static (double[] Scores, string? Rationale) ParseScoresAndRationale(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var document = ReadBlock(text);
        var root = document.RootElement;
        var scores = ReadBetterResponse(root);
        var rationale = root.TryGetProperty("rationale", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return (scores, rationale);
    }

    /// <summary>Like <see cref="ParseScores"/>, but reports a malformed text through <paramref name="error"/> instead of throwing.</summary>
    /// <param name="text">The model's output.</param>
    /// <param name="scores">The scores, when the text is well formed.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    public static bool TryParseScores(string? text, [NotNullWhen(true)] out double[]? scores, [NotNullWhen(false)] out string? error) =>
        TryRead(text, ParseScores, out scores, out error);

    /// <summary>Runs <paramref name="read"/>, turning a <see cref="ChainFormatException"/> (or a null text) into <paramref name="error"/>.</summary>
    private static bool TryRead<T>(string? text, Func<string, T> read, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? error)
        where T : class
    {
        value = null;
        if (text is null)
        {
            error = "The text is null.";
            return false;
        }

        try
        {
            value = read(text);
            error = null;
            return true;
        }
        catch (ChainFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static JsonDocument ReadBlock(string text)
    {
        // The last end marker and the last start marker before it: a model may mention the markers in Part 1.
        var end = text.LastIndexOf(PaperChainFormat.EndMarker, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new ChainFormatException(text.Contains(PaperChainFormat.StartMarker, StringComparison.Ordinal)
                ? $"Missing end marker {PaperChainFormat.EndMarker} after {PaperChainFormat.StartMarker}."
                : $"Missing both markers: no {PaperChainFormat.StartMarker} … {PaperChainFormat.EndMarker} block found.");
        }

        var start = text.LastIndexOf(PaperChainFormat.StartMarker, end, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ChainFormatException($"Missing start marker {PaperChainFormat.StartMarker} before {PaperChainFormat.EndMarker}.");
        }

        var json = StripCodeFence(text.AsSpan(start + PaperChainFormat.StartMarker.Length, end - start - PaperChainFormat.StartMarker.Length).Trim());
        if (json.IsEmpty)
        {
            throw new ChainFormatException($"The block between {PaperChainFormat.StartMarker} and {PaperChainFormat.EndMarker} is empty.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToString(), ReaderOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
                ? string.Create(Inv, $" at line {line + 1}, byte {column + 1} of the block")
                : string.Empty;
            throw new ChainFormatException($"Invalid JSON between {PaperChainFormat.StartMarker} and {PaperChainFormat.EndMarker}{where}: {ex.Message}", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new ChainFormatException($"The JSON block must be an object, not {kind}.");
        }

        return document;
    }

    /// <summary>Removes a surrounding Markdown fence (<c>```json … ```</c>), which instruct models often add.</summary>
    private static ReadOnlySpan<char> StripCodeFence(ReadOnlySpan<char> json)
    {
        if (!json.StartsWith("```", StringComparison.Ordinal))
        {
            return json;
        }

        var firstLineEnd = json.IndexOf('\n');
        if (firstLineEnd < 0)
        {
            return json;
        }

        var body = json[(firstLineEnd + 1)..].TrimEnd();
        return body.EndsWith("```", StringComparison.Ordinal) ? body[..^3].Trim() : body;
    }

    private static double[] ReadBetterResponse(JsonElement root)
    {
        if (!root.TryGetProperty("better_response", out var element))
        {
            throw new ChainFormatException("The JSON block has no \"better_response\" object.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ChainFormatException(
                $"\"better_response\" must be an object like {{\"response_1\": 7.5, \"response_2\": 6}}, not {element.ValueKind}.");
        }

        var scores = new SortedDictionary<int, double>();
        foreach (var property in element.EnumerateObject())
        {
            if (!property.Name.StartsWith(PaperChainFormat.ResponseKeyPrefix, StringComparison.Ordinal)
                || !int.TryParse(property.Name.AsSpan(PaperChainFormat.ResponseKeyPrefix.Length), NumberStyles.None, Inv, out var number)
                || number < 1)
            {
                // Other keys (a model's "winner" or notes) do not change the scores.
                continue;
            }

            var value = ReadNumber(property.Value, $"better_response.{property.Name}");
            if (!scores.TryAdd(number, value))
            {
                throw new ChainFormatException($"better_response has \"{property.Name}\" twice.");
            }
        }

        if (scores.Count == 0)
        {
            throw new ChainFormatException("better_response holds no \"response_1\", \"response_2\", … scores.");
        }

        var expected = 1;
        foreach (var number in scores.Keys)
        {
            if (number != expected)
            {
                throw new ChainFormatException($"better_response skips \"{PaperChainFormat.ResponseKeyPrefix}{expected}\".");
            }

            expected++;
        }

        return [.. scores.Values];
    }

    private static EvaluationChain ReadChain(JsonElement e)
    {
        RequireKind(e, JsonValueKind.Object, "chain");
        var rubric = new List<RubricItem>();
        var rubricElement = Property(e, "rubric", "chain");
        RequireKind(rubricElement, JsonValueKind.Array, "chain.rubric");
        foreach (var item in rubricElement.EnumerateArray())
        {
            var path = string.Create(Inv, $"chain.rubric[{rubric.Count}]");
            RequireKind(item, JsonValueKind.Object, path);
            rubric.Add(new RubricItem(
                ReadString(item, "criterion_id", path),
                ReadString(item, "name", path),
                ReadInt(Property(item, "weight_percent", path), $"{path}.weight_percent"),
                ReadString(item, "description", path)));
        }

        var responses = new List<ResponseEvaluation>();
        var responsesElement = Property(e, "responses", "chain");
        RequireKind(responsesElement, JsonValueKind.Array, "chain.responses");
        foreach (var item in responsesElement.EnumerateArray())
        {
            var path = string.Create(Inv, $"chain.responses[{responses.Count}]");
            RequireKind(item, JsonValueKind.Object, path);
            var scoresElement = Property(item, "criterion_scores", path);
            RequireKind(scoresElement, JsonValueKind.Array, $"{path}.criterion_scores");
            var scores = scoresElement.EnumerateArray()
                .Select((s, i) => ReadNumber(s, string.Create(Inv, $"{path}.criterion_scores[{i}]")))
                .ToArray();
            responses.Add(new ResponseEvaluation(
                ReadInt(Property(item, "index", path), $"{path}.index"),
                scores,
                ReadNumber(Property(item, "final_score", path), $"{path}.final_score"),
                ReadNumber(Property(item, "reward", path), $"{path}.reward")));
        }

        var s = Property(e, "scaling", "chain");
        RequireKind(s, JsonValueKind.Object, "chain.scaling");
        var neighboursElement = Property(s, "neighbours", "chain.scaling");
        RequireKind(neighboursElement, JsonValueKind.Array, "chain.scaling.neighbours");
        var neighbours = neighboursElement.EnumerateArray()
            .Select((n, i) => n.ValueKind == JsonValueKind.String
                ? n.GetString()!
                : throw new ChainFormatException(string.Create(Inv, $"chain.scaling.neighbours[{i}] must be a string.")))
            .ToArray();
        var coldStart = Property(s, "cold_start", "chain.scaling");
        if (coldStart.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new ChainFormatException("chain.scaling.cold_start must be true or false.");
        }

        var scaling = new ScalingTrace(
            ReadInt(Property(s, "m", "chain.scaling"), "chain.scaling.m"),
            ReadInt(Property(s, "n", "chain.scaling"), "chain.scaling.n"),
            neighbours,
            ReadNumber(Property(s, "agreement", "chain.scaling"), "chain.scaling.agreement"),
            ReadNumber(Property(s, "content_share", "chain.scaling"), "chain.scaling.content_share"),
            ReadNumber(Property(s, "collaborative_share", "chain.scaling"), "chain.scaling.collaborative_share"),
            coldStart.GetBoolean());

        var chain = new EvaluationChain(
            ReadString(e, "persona", "chain"),
            ReadString(e, "scenario_id", "chain"),
            ReadString(e, "scenario_name", "chain"),
            rubric,
            responses,
            ReadInt(Property(e, "preferred_index", "chain"), "chain.preferred_index"),
            scaling,
            ReadString(e, "model_version", "chain"),
            ReadString(e, "criteria_version", "chain"));

        var problem = ChainInvariants.FindProblem(chain);
        return problem is null ? chain : throw new ChainFormatException(problem);
    }

    private static JsonElement Property(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var value) ? value : throw new ChainFormatException($"{path}.{name} is missing.");

    private static void RequireKind(JsonElement e, JsonValueKind kind, string path)
    {
        if (e.ValueKind != kind)
        {
            throw new ChainFormatException($"{path} must be a JSON {kind.ToString().ToLowerInvariant()}, not {e.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }

    private static string ReadString(JsonElement e, string name, string path)
    {
        var value = Property(e, name, path);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ChainFormatException($"{path}.{name} must be a string.");
    }

    /// <summary>A finite number given as a JSON number or as a numeric string ("7.5"), culture-invariant.</summary>
    private static double ReadNumber(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number when e.TryGetDouble(out var number) && double.IsFinite(number):
                return number;
            case JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, Inv, out var parsed) && double.IsFinite(parsed):
                return parsed;
            default:
                throw new ChainFormatException($"{path} is not a number: {Truncate(e.GetRawText())}.");
        }
    }

    private static int ReadInt(JsonElement e, string path)
    {
        var value = ReadNumber(e, path);
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ChainFormatException($"{path} must be an integer, not {value.ToString(Inv)}.");
    }

    private static string Truncate(string raw) => raw.Length <= 40 ? raw : string.Concat(raw.AsSpan(0, 40), "…");
}

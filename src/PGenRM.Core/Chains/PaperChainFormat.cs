using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PGenRM.Core.Chains;

/// <summary>
/// Writes and reads evaluation chains in the paper's output shape: Part 1 free text (persona, criteria and why),
/// then Part 2 with a JSON object between the literal markers <c>&lt;JSON_START&gt;</c> and <c>&lt;JSON_END&gt;</c>
/// holding <c>rationale</c> (sections "A. Evaluation Criteria &amp; Weights" and "B. Scoring Breakdown"),
/// <c>better_response</c> (<c>{"response_1": x, …}</c>) and, for round trips, a machine-readable <c>chain</c> object.
/// </summary>
/// <remarks>
/// Uses <see cref="Utf8JsonWriter"/> and <see cref="JsonDocument"/> directly (no reflection), so it is trim-safe.
/// Scores may be JSON numbers or numeric strings, parsed culture-invariantly (the paper's model quotes them).
/// </remarks>
public static class PaperChainFormat
{
    /// <summary>The literal marker before the JSON block.</summary>
    public const string StartMarker = "<JSON_START>";

    /// <summary>The literal marker after the JSON block.</summary>
    public const string EndMarker = "<JSON_END>";

    private const string ResponseKeyPrefix = "response_";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",

        // Relaxed escaping keeps "×", "+" and non-Latin personas readable; '<' is escaped afterwards instead,
        // so no string inside the block can ever spell a marker.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Serializes <paramref name="chain"/> in the paper's shape; <see cref="Parse"/> reads it back to an equal chain.</summary>
    /// <param name="chain">A well-formed chain: responses in order (Index = position), each with one score per rubric
    /// item, rubric weights summing to 100 (an empty rubric is allowed), a valid preferred index, finite numbers.</param>
    /// <exception cref="ArgumentException">The chain is not well formed.</exception>
    public static string Serialize(EvaluationChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var problem = FindProblem(chain);
        if (problem is not null)
        {
            throw new ArgumentException($"The chain cannot be serialized: {problem}", nameof(chain));
        }

        var text = new StringBuilder();
        text.Append("Part 1: Chain-of-Thought Analysis\n\n");
        text.Append(Inv, $"1. Persona for this scenario ({chain.ScenarioName})\n{chain.Persona}\n\n");
        text.Append("2. Personalized scoring criteria\n");
        if (chain.Rubric.Count == 0)
        {
            text.Append("(no rubric: only final scores are available)\n");
        }

        for (var i = 0; i < chain.Rubric.Count; i++)
        {
            var item = chain.Rubric[i];
            text.Append(Inv, $"- {item.Name} ({item.WeightPercent}%): {item.Description} Why: {Why(i, item)}\n");
        }

        text.Append('\n').Append(DescribeScaling(chain.Scaling)).Append("\n\n");
        text.Append("Part 2: Final Scoring and JSON\n");
        text.Append(StartMarker).Append('\n');
        text.Append(WriteJson(chain));
        text.Append('\n').Append(EndMarker).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads a chain written by <see cref="Serialize"/> (it needs the <c>chain</c> object).</summary>
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
    public static bool TryParse(string? text, [NotNullWhen(true)] out EvaluationChain? chain, [NotNullWhen(false)] out string? error)
    {
        chain = null;
        if (text is null)
        {
            error = "The text is null.";
            return false;
        }

        try
        {
            chain = Parse(text);
            error = null;
            return true;
        }
        catch (ChainFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

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
    public static bool TryParseScores(string? text, [NotNullWhen(true)] out double[]? scores, [NotNullWhen(false)] out string? error)
    {
        scores = null;
        if (text is null)
        {
            error = "The text is null.";
            return false;
        }

        try
        {
            scores = ParseScores(text);
            error = null;
            return true;
        }
        catch (ChainFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    // ---------------------------------------------------------------- writing

    private static string WriteJson(EvaluationChain chain)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("rationale", Rationale(chain));
            w.WriteStartObject("better_response");
            foreach (var r in chain.Responses)
            {
                // Four decimals: readable, and fine enough that distinct rewards rarely print as a tie.
                w.WriteNumber(ResponseKey(r.Index), Math.Round(r.FinalScore, 4, MidpointRounding.AwayFromZero));
            }

            w.WriteEndObject();
            w.WritePropertyName("chain");
            WriteChain(w, chain);
            w.WriteEndObject();
        }

        // '<' only occurs inside JSON strings, where \u003C is an equivalent spelling.
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan).Replace("<", "\\u003C", StringComparison.Ordinal);
    }

    private static void WriteChain(Utf8JsonWriter w, EvaluationChain chain)
    {
        w.WriteStartObject();
        w.WriteString("persona", chain.Persona);
        w.WriteString("scenario_id", chain.ScenarioId);
        w.WriteString("scenario_name", chain.ScenarioName);
        w.WriteStartArray("rubric");
        foreach (var item in chain.Rubric)
        {
            w.WriteStartObject();
            w.WriteString("criterion_id", item.CriterionId);
            w.WriteString("name", item.Name);
            w.WriteNumber("weight_percent", item.WeightPercent);
            w.WriteString("description", item.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("responses");
        foreach (var r in chain.Responses)
        {
            w.WriteStartObject();
            w.WriteNumber("index", r.Index);
            w.WriteStartArray("criterion_scores");
            foreach (var s in r.CriterionScores)
            {
                w.WriteNumberValue(s);
            }

            w.WriteEndArray();
            w.WriteNumber("final_score", r.FinalScore);
            w.WriteNumber("reward", r.Reward);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("preferred_index", chain.PreferredIndex);
        w.WriteStartObject("scaling");
        w.WriteNumber("m", chain.Scaling.M);
        w.WriteNumber("n", chain.Scaling.N);
        w.WriteStartArray("neighbours");
        foreach (var id in chain.Scaling.Neighbours)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteNumber("agreement", chain.Scaling.Agreement);
        w.WriteNumber("content_share", chain.Scaling.ContentShare);
        w.WriteNumber("collaborative_share", chain.Scaling.CollaborativeShare);
        w.WriteBoolean("cold_start", chain.Scaling.ColdStart);
        w.WriteEndObject();
        w.WriteString("model_version", chain.ModelVersion);
        w.WriteString("criteria_version", chain.CriteriaVersion);
        w.WriteEndObject();
    }

    private static string Rationale(EvaluationChain chain)
    {
        var text = new StringBuilder();
        text.Append("A. Evaluation Criteria & Weights\n");
        if (chain.Rubric.Count == 0)
        {
            text.Append("(no rubric)\n");
        }

        for (var i = 0; i < chain.Rubric.Count; i++)
        {
            var item = chain.Rubric[i];
            text.Append(Inv, $"{i + 1}. {item.Name} ({item.WeightPercent}%): {item.Description}\n");
        }

        if (chain.Rubric.Count > 0)
        {
            text.Append("Total: 100%\n");
        }

        text.Append("\nB. Scoring Breakdown\n");
        foreach (var r in chain.Responses)
        {
            var label = string.Create(Inv, $"Response {r.Index + 1}");
            text.Append(label).Append(":\n");
            var terms = new List<string>(chain.Rubric.Count);
            var rubricScore = 0.0;
            for (var i = 0; i < chain.Rubric.Count; i++)
            {
                var item = chain.Rubric[i];
                var score = r.CriterionScores[i];
                var weight = item.WeightPercent / 100.0;
                text.Append(Inv, $"- {item.Name}: {score:0.0###}/10 ({Justify(item.Name, score)})\n");
                terms.Add(string.Create(Inv, $"({score:0.0###}×{weight:0.00})"));
                rubricScore += score * weight;
            }

            if (terms.Count > 0)
            {
                text.Append(Inv, $"{label} Rubric Score = {string.Join("+", terms)} = {rubricScore:0.00}\n");
            }

            // Name the collaborative part only when there is one: for items nobody judged the gap between rubric
            // and final score is the content model's criteria and embedding features beyond the rubric's K.
            var why = chain.Scaling.CollaborativeShare > 0
                ? "the final score also counts how similar users judged these responses, which the rubric cannot show"
                : "the final score comes from the full content model, of which the rubric shows the heaviest criteria";
            text.Append(Inv, $"{label} Final Score = {r.FinalScore:0.00} (reward {r.Reward:0.0000}; {why})\n\n");
        }

        text.Append(Inv, $"Preferred: Response {chain.PreferredIndex + 1}.");
        return text.ToString();
    }

    private static string Why(int rank, RubricItem item) =>
        rank == 0 ? "it is the strongest signal in this user's past choices in this scenario."
        : item.WeightPercent >= 20 ? "it is a strong signal in this user's past choices."
        : "it is a secondary signal that separates close candidates.";

    private static string Justify(string pole, double score)
    {
        var p = pole.ToLowerInvariant();
        return score switch
        {
            >= 8.5 => $"far more {p} than a typical answer",
            >= 7.0 => $"more {p} than a typical answer",
            > 6.0 => $"somewhat more {p} than typical",
            >= 5.0 => "about typical",
            >= 4.0 => $"somewhat less {p} than typical",
            >= 2.5 => $"less {p} than a typical answer",
            _ => $"far less {p} than a typical answer",
        };
    }

    private static string DescribeScaling(ScalingTrace s)
    {
        var text = new StringBuilder("3. Test-time scaling\n");
        text.Append(Inv, $"Averaged {s.M} scoring scheme(s) from the user's own history and {s.N} similar user(s)");
        text.Append(s.Neighbours.Count > 0 ? string.Create(Inv, $" ({string.Join(", ", s.Neighbours)}).") : ".");
        text.Append(Inv, $" {Percent(s.Agreement)} of them agree with the final preference; {Percent(s.ContentShare)} of the reward comes from the content of the responses and {Percent(s.CollaborativeShare)} from how similar users judged them.");
        if (s.ColdStart)
        {
            text.Append(" Cold start: few of this user's own judgments are known, so the prototype's preferences dominate.");
        }

        return text.ToString();
    }

    private static string Percent(double share) => string.Create(Inv, $"{Math.Round(share * 100, MidpointRounding.AwayFromZero):0}%");

    private static string ResponseKey(int index) => string.Create(Inv, $"{ResponseKeyPrefix}{index + 1}");

    // ---------------------------------------------------------------- reading

    private static JsonDocument ReadBlock(string text)
    {
        // The last end marker and the last start marker before it: a model may mention the markers in Part 1.
        var end = text.LastIndexOf(EndMarker, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new ChainFormatException(text.Contains(StartMarker, StringComparison.Ordinal)
                ? $"Missing end marker {EndMarker} after {StartMarker}."
                : $"Missing both markers: no {StartMarker} … {EndMarker} block found.");
        }

        var start = text.LastIndexOf(StartMarker, end, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ChainFormatException($"Missing start marker {StartMarker} before {EndMarker}.");
        }

        var json = StripCodeFence(text.AsSpan(start + StartMarker.Length, end - start - StartMarker.Length).Trim());
        if (json.IsEmpty)
        {
            throw new ChainFormatException($"The block between {StartMarker} and {EndMarker} is empty.");
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
            throw new ChainFormatException($"Invalid JSON between {StartMarker} and {EndMarker}{where}: {ex.Message}", ex);
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
            if (!property.Name.StartsWith(ResponseKeyPrefix, StringComparison.Ordinal)
                || !int.TryParse(property.Name.AsSpan(ResponseKeyPrefix.Length), NumberStyles.None, Inv, out var number)
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
                throw new ChainFormatException($"better_response skips \"{ResponseKeyPrefix}{expected}\".");
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

        var problem = FindProblem(chain);
        return problem is null ? chain : throw new ChainFormatException(problem);
    }

    /// <summary>The first violated invariant of a chain, or null. Shared by writing and reading.</summary>
    private static string? FindProblem(EvaluationChain chain)
    {
        if (chain.Rubric is null || chain.Responses is null || chain.Scaling is null || chain.Scaling.Neighbours is null
            || chain.Persona is null || chain.ScenarioId is null || chain.ScenarioName is null
            || chain.ModelVersion is null || chain.CriteriaVersion is null)
        {
            return "a required member is null.";
        }

        if (chain.Rubric.Count > 0)
        {
            var sum = 0;
            foreach (var item in chain.Rubric)
            {
                if (item is null || item.WeightPercent < 0)
                {
                    return "rubric weights must be non-negative integers.";
                }

                sum += item.WeightPercent;
            }

            if (sum != 100)
            {
                return string.Create(Inv, $"rubric weights sum to {sum}, expected 100.");
            }
        }

        if (chain.Responses.Count == 0)
        {
            return "the chain has no responses.";
        }

        for (var j = 0; j < chain.Responses.Count; j++)
        {
            var r = chain.Responses[j];
            if (r is null || r.Index != j)
            {
                return string.Create(Inv, $"response at position {j} has index {r?.Index}; responses must be in candidate order.");
            }

            if (r.CriterionScores is null || r.CriterionScores.Count != chain.Rubric.Count)
            {
                return string.Create(Inv, $"response {j} has {r.CriterionScores?.Count ?? 0} criterion scores for {chain.Rubric.Count} rubric items.");
            }

            if (!double.IsFinite(r.FinalScore) || !double.IsFinite(r.Reward) || r.CriterionScores.Any(s => !double.IsFinite(s)))
            {
                return string.Create(Inv, $"response {j} has a score that is not a finite number.");
            }
        }

        if (chain.PreferredIndex < 0 || chain.PreferredIndex >= chain.Responses.Count)
        {
            return string.Create(Inv, $"preferred index {chain.PreferredIndex} is outside 0..{chain.Responses.Count - 1}.");
        }

        var s = chain.Scaling;
        return double.IsFinite(s.Agreement) && double.IsFinite(s.ContentShare) && double.IsFinite(s.CollaborativeShare)
            ? null
            : "the scaling trace has a share that is not a finite number.";
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

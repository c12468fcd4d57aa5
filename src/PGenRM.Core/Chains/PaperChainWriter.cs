using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PGenRM.Core.Chains;

/// <summary>
/// Writes a chain in <see cref="PaperChainFormat"/>'s shape: Part 1 text (persona, criteria and why, scaling), then
/// the JSON block between the markers. Hand-written <see cref="Utf8JsonWriter"/> code: the block's layout (rationale
/// prose, <c>response_n</c> keys, a marker-safe escaping) is the paper's, not a serializer's rendering of our records.
/// </summary>
internal static class PaperChainWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",

        // Relaxed escaping keeps "×", "+" and non-Latin personas readable; '<' is escaped afterwards instead,
        // so no string inside the block can ever spell a marker.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The chain as text; see <see cref="PaperChainFormat.Serialize"/>.</summary>
    public static string Write(EvaluationChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var problem = ChainInvariants.FindProblem(chain);
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
        text.Append(PaperChainFormat.StartMarker).Append('\n');
        text.Append(WriteJson(chain));
        text.Append('\n').Append(PaperChainFormat.EndMarker).Append('\n');
        return text.ToString();
    }

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
                w.WriteNumber(PaperChainFormat.ResponseKey(r.Index), Math.Round(r.FinalScore, 4, MidpointRounding.AwayFromZero));
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
}

using System.Globalization;
using System.Text.RegularExpressions;
using PGenRM.Core.Chains;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// One model answer read into scores: the JSON block goes through <see cref="PaperChainFormat"/> (scores as numbers or
/// numeric strings, culture-invariant); this class adds the judge's own checks — exactly two final scores in 1–10, and,
/// where the rationale lists weights ("Name (35%)"), weights summing to 100 and criterion scores in 1–10 — and lifts the
/// rubric out of the rationale when it is complete. A violation is a <see cref="ChainFormatException"/>, so the caller
/// repairs it once.
/// </summary>
/// <param name="Scores">Final scores in the order the responses were shown.</param>
/// <param name="Persona">Part 1 text before the JSON block (trimmed, at most 2,000 characters).</param>
/// <param name="Rubric">Criteria with integer weights summing to 100, or empty when the rationale does not list them completely.</param>
/// <param name="CriterionScores">Per shown response, one score per rubric item (empty when the rubric is).</param>
public sealed partial record JudgeAnswer(double[] Scores, string Persona, IReadOnlyList<RubricItem> Rubric, IReadOnlyList<double[]> CriterionScores)
{
    private const int MaxPersonaLength = 2000;

    /// <summary>Reads a two-response answer.</summary>
    /// <exception cref="ChainFormatException">The answer is malformed; the message says how.</exception>
    public static JudgeAnswer Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (scores, rationale) = PaperChainFormat.ParseScoresAndRationale(text);
        if (scores.Length != 2)
        {
            throw new ChainFormatException($"better_response must hold response_1 and response_2, got {scores.Length} score(s).");
        }

        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] is < 1 or > 10)
            {
                throw new ChainFormatException(
                    string.Create(CultureInfo.InvariantCulture, $"better_response.response_{i + 1} is {scores[i]}, outside 1–10."));
            }
        }

        var (rubric, criterionScores) = ReadRubric(rationale ?? string.Empty);
        int start = text.LastIndexOf(PaperChainFormat.StartMarker, StringComparison.Ordinal);
        var persona = (start > 0 ? text[..start] : string.Empty).Trim();
        if (persona.Length > MaxPersonaLength)
        {
            persona = persona[..MaxPersonaLength];
        }

        return new JudgeAnswer(scores, persona, rubric, criterionScores);
    }

    private static (IReadOnlyList<RubricItem> Rubric, IReadOnlyList<double[]> Scores) ReadRubric(string rationale)
    {
        var inv = CultureInfo.InvariantCulture;
        int b = rationale.IndexOf("B.", StringComparison.Ordinal);
        var sectionA = b >= 0 ? rationale[..b] : rationale;
        var weights = WeightLine().Matches(sectionA)
            .Select(m => (Name: m.Groups["name"].Value.Trim(), Weight: double.Parse(m.Groups["w"].Value, inv)))
            .ToList();
        if (weights.Count == 0)
        {
            return ([], []);
        }

        double sum = weights.Sum(w => w.Weight);
        if (Math.Abs(sum - 100) > 0.5)
        {
            throw new ChainFormatException(string.Create(inv, $"The rubric's weights sum to {sum}%, expected 100%."));
        }

        var scores = b >= 0
            ? ScoreLine().Matches(rationale[b..]).Select(m => double.Parse(m.Groups["s"].Value, inv)).ToList()
            : [];
        if (scores.Any(s => s is < 1 or > 10))
        {
            throw new ChainFormatException(string.Create(inv, $"A criterion score is {scores.First(s => s is < 1 or > 10)}/10, outside 1–10."));
        }

        var rounded = weights.Select(w => (int)Math.Round(w.Weight, MidpointRounding.AwayFromZero)).ToArray();
        if (rounded.Sum() != 100 || scores.Count != 2 * weights.Count)
        {
            // Readable but not complete enough for a rubric with per-criterion scores: keep the final scores only.
            return ([], []);
        }

        var rubric = weights.Select((w, i) => new RubricItem($"llm:{i + 1}", w.Name, rounded[i], w.Name)).ToList();
        return (rubric, [scores.Take(weights.Count).ToArray(), scores.Skip(weights.Count).ToArray()]);
    }

    [GeneratedRegex(@"^\s*\d+[.)]\s*(?<name>[^(\n]+?)\s*\(\s*(?<w>\d+(?:\.\d+)?)\s*%\s*\)", RegexOptions.Multiline)]
    private static partial Regex WeightLine();

    [GeneratedRegex(@"^\s*[-*]\s*(?<name>[^:\n]+):\s*(?<s>-?\d+(?:\.\d+)?)\s*/\s*10\b", RegexOptions.Multiline)]
    private static partial Regex ScoreLine();
}

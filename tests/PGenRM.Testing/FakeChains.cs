using System.Globalization;
using System.Text.Json;

namespace PGenRM.Testing;

/// <summary>Answers in the paper model's shape, with known scores.</summary>
public static class FakeChains
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A well-formed chain: Part 1, then the JSON block whose rationale lists two criteria (60/40 unless given).</summary>
    public static string Valid(double s1, double s2, int w1 = 60, int w2 = 40, string persona = "Prefers short, direct answers.", double? criterion = null)
    {
        double c = criterion ?? 5;
        var rationale =
            $"A. Evaluation Criteria & Weights\n1. Directness ({w1}%): the user skips preambles.\n2. Accuracy ({w2}%): facts matter.\n\n"
            + $"B. Scoring Breakdown\nResponse 1:\n- Directness: {Num(c)}/10 (ok)\n- Accuracy: {Num(c)}/10 (ok)\n"
            + $"Response 1 Final Score = {Num(s1)}\nResponse 2:\n- Directness: {Num(c + 1)}/10 (ok)\n- Accuracy: {Num(c + 1)}/10 (ok)\n"
            + $"Response 2 Final Score = {Num(s2)}";
        return Block(persona, rationale, $"{{\"response_1\": {Num(s1)}, \"response_2\": {Num(s2)}}}");
    }

    /// <summary>A chain whose scores are quoted strings (as the paper's example JSON does).</summary>
    public static string QuotedScores(double s1, double s2) =>
        Block("Likes detail.", "A. Evaluation Criteria & Weights\n1. Detail (100%): depth.", $"{{\"response_1\": \"{Num(s1)}\", \"response_2\": \"{Num(s2)}\"}}");

    public static string NoBlock() => "Part 1: the user likes brevity. Response 2 is better, I would give it 8.";

    private static string Block(string persona, string rationale, string better) =>
        $"Part 1: Chain-of-Thought Analysis\n1. Persona: {persona}\n2. Criteria: directness and accuracy.\n\n"
        + $"Part 2: Final Scoring and JSON\n<JSON_START>\n{{\"rationale\": {JsonSerializer.Serialize(rationale)}, \"better_response\": {better}}}\n<JSON_END>";

    private static string Num(double x) => x.ToString("0.###", Inv);
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PGenRM.Core.Chains;

/// <summary>
/// Writes and reads evaluation chains in the paper's output shape: Part 1 free text (persona, criteria and why),
/// then Part 2 with a JSON object between the literal markers <c>&lt;JSON_START&gt;</c> and <c>&lt;JSON_END&gt;</c>
/// holding <c>rationale</c> (sections "A. Evaluation Criteria &amp; Weights" and "B. Scoring Breakdown"),
/// <c>better_response</c> (<c>{"response_1": x, …}</c>) and, for round trips, a machine-readable <c>chain</c> object.
/// </summary>
/// <remarks>
/// The entry point; the writing is in <see cref="PaperChainWriter"/>, the reading in <see cref="PaperChainParser"/>,
/// the invariants both check in <see cref="ChainInvariants"/>. No reflection, so it is trim-safe. Scores may be JSON
/// numbers or numeric strings, parsed culture-invariantly (the paper's model quotes them).
/// </remarks>
public static class PaperChainFormat
{
    /// <summary>The literal marker before the JSON block.</summary>
    public const string StartMarker = "<JSON_START>";

    /// <summary>The literal marker after the JSON block.</summary>
    public const string EndMarker = "<JSON_END>";

    /// <summary>The prefix of <c>better_response</c>'s keys (<c>response_1</c> is the first candidate).</summary>
    internal const string ResponseKeyPrefix = "response_";

    /// <summary>Serializes <paramref name="chain"/> in the paper's shape; <see cref="Parse"/> reads it back to an equal chain.</summary>
    /// <param name="chain">A well-formed chain: responses in order (Index = position), each with one score per rubric
    /// item, rubric weights summing to 100 (an empty rubric is allowed), a valid preferred index, finite numbers.</param>
    /// <exception cref="ArgumentException">The chain is not well formed.</exception>
    public static string Serialize(EvaluationChain chain) => PaperChainWriter.Write(chain);

    /// <summary>Reads a chain written by <see cref="Serialize"/> (it needs the <c>chain</c> object).</summary>
    /// <param name="text">The full output, with or without Part 1.</param>
    /// <exception cref="ChainFormatException">A marker is missing, the JSON is invalid (the message gives the position),
    /// <c>better_response</c> or <c>chain</c> is missing, a score is not numeric, the weights do not sum to 100, or the
    /// chain is otherwise inconsistent.</exception>
    public static EvaluationChain Parse(string text) =>
        PaperChainParser.Parse(text);

    /// <summary>Like <see cref="Parse"/>, but reports a malformed text through <paramref name="error"/> instead of throwing.</summary>
    /// <param name="text">The full output.</param>
    /// <param name="chain">The chain, when the text is well formed.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EvaluationChain? chain, [NotNullWhen(false)] out string? error) =>
        PaperChainParser.TryParse(text, out chain, out error);

    /// <summary>
    /// Reads only the <c>better_response</c> scores, in order (<c>response_1</c> first). This is what a paper-model
    /// output holds; other keys and the <c>rationale</c> are ignored. Markdown code fences inside the block are tolerated.
    /// </summary>
    /// <param name="text">The model's output.</param>
    /// <exception cref="ChainFormatException">A marker is missing, the JSON is invalid, <c>better_response</c> is missing
    /// or not an object, its keys are not <c>response_1</c> … <c>response_n</c>, or a score is not numeric.</exception>
    public static double[] ParseScores(string text) =>
        PaperChainParser.ParseScores(text);

    /// <summary>
    /// Reads a paper-model output's <c>better_response</c> scores (as <see cref="ParseScores"/>) and its <c>rationale</c>
    /// string (null when absent or not a string), through the same block reader.
    /// </summary>
    /// <param name="text">The model's output.</param>
    /// <exception cref="ChainFormatException">As <see cref="ParseScores"/>.</exception>
    public static (double[] Scores, string? Rationale) ParseScoresAndRationale(string text) =>
        PaperChainParser.ParseScoresAndRationale(text);

    /// <summary>Like <see cref="ParseScores"/>, but reports a malformed text through <paramref name="error"/> instead of throwing.</summary>
    /// <param name="text">The model's output.</param>
    /// <param name="scores">The scores, when the text is well formed.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    public static bool TryParseScores(string? text, [NotNullWhen(true)] out double[]? scores, [NotNullWhen(false)] out string? error) =>
        PaperChainParser.TryParseScores(text, out scores, out error);

    /// <summary>The <c>better_response</c> key of the response at <paramref name="index"/>.</summary>
    internal static string ResponseKey(int index) => string.Create(CultureInfo.InvariantCulture, $"{ResponseKeyPrefix}{index + 1}");
}

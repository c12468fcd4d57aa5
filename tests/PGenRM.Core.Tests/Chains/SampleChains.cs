using PGenRM.Core.Chains;

namespace PGenRM.Core.Tests.Chains;

/// <summary>Hand-made chains for the format tests; numbers are chosen to have long binary expansions.</summary>
internal static class SampleChains
{
    public static EvaluationChain TwoResponses { get; } = new(
        "For advice queries, this user prefers concise, direct and actionable answers.",
        "advice",
        "Advice",
        [
            new RubricItem("concise", "Concise", 35, "Whether the response is brief and to the point rather than long and exhaustive."),
            new RubricItem("directness", "Direct", 30, "Whether the response answers the question immediately."),
            new RubricItem("actionable", "Actionable", 20, "Whether the response gives concrete next steps."),
            new RubricItem("-hedging", "Confident", 15, "Whether the response qualifies its claims."),
        ],
        [
            new ResponseEvaluation(0, [4.0, 6.0, 7.0, 7.0], 3.9013157280229843, -0.43),
            new ResponseEvaluation(1, [8.5, 7.5, 6.1, 9.9], 7.0986842719770157, 0.43),
        ],
        1,
        new ScalingTrace(16, 8, ["u-17", "u-4"], 0.8125, 0.62, 0.38, false),
        "compact-v1",
        "criteria-v1");

    public static EvaluationChain ThreeResponsesUnicode { get; } = new(
        "Pour les questions créatives, cet utilisateur préfère des réponses drôles et créatives — 日本語も 🙂. Quote \" and <JSON_END> and \\ too.",
        "creative",
        "Creative writing",
        [
            new RubricItem("humour", "Humorous", 50, "Whether the response is playful and witty."),
            new RubricItem("creativity", "Creative", 30, "Whether the response is original."),
            new RubricItem("-concise", "Detailed", 20, "Whether the response is brief."),
        ],
        [
            new ResponseEvaluation(0, [1.0, 10.0, 5.5], 1.0000000000000002, -123.456789),
            new ResponseEvaluation(1, [2.3, 4.6, 6.9], 5.5, 0.1 + 0.2),
            new ResponseEvaluation(2, [9.9, 9.8, 1.1], 9.999999999999998, 1e-300),
        ],
        2,
        new ScalingTrace(1, 0, [], 1.0, 1.0, 0.0, true),
        "compact-v1+ünï",
        "criteria-v1");

    public static EvaluationChain FiveResponsesSevenCriteria { get; } = new(
        "For technical queries, this user prefers example-rich, technical and precise answers.",
        "technical",
        "Technical",
        [
            new RubricItem("examples", "Example-rich", 30, "a"),
            new RubricItem("technical", "Technical", 20, "b"),
            new RubricItem("precision", "Precise", 15, "c"),
            new RubricItem("structure", "Structured", 10, "d"),
            new RubricItem("-humour", "Serious", 10, "e"),
            new RubricItem("relevance", "On-topic", 10, "f"),
            new RubricItem("-engagement", "Closed", 5, "g"),
        ],
        [.. Enumerable.Range(0, 5).Select(i => new ResponseEvaluation(
            i, [.. Enumerable.Range(0, 7).Select(c => 1.0 + ((i * 7 + c) % 10))], 1 + (i * 2.0 / 3.0), (i - 2) / 3.0))],
        4,
        new ScalingTrace(16, 16, [.. Enumerable.Range(0, 16).Select(i => $"tenant/user-{i}")], 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, false),
        "compact-v1",
        "criteria-v1");

    public static EvaluationChain NoRubric { get; } = new(
        "An LLM evaluator chain whose rubric could not be read.",
        "information",
        "Information",
        [],
        [new ResponseEvaluation(0, [], 6.8, 6.8), new ResponseEvaluation(1, [], 6.95, 6.95)],
        1,
        new ScalingTrace(4, 0, [], 0.75, 1.0, 0.0, false),
        "llm-judge",
        "criteria-v1");

    public static TheoryData<string> Names { get; } =
        [nameof(TwoResponses), nameof(ThreeResponsesUnicode), nameof(FiveResponsesSevenCriteria), nameof(NoRubric)];

    public static EvaluationChain ByName(string name) => name switch
    {
        nameof(TwoResponses) => TwoResponses,
        nameof(ThreeResponsesUnicode) => ThreeResponsesUnicode,
        nameof(FiveResponsesSevenCriteria) => FiveResponsesSevenCriteria,
        nameof(NoRubric) => NoRubric,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}

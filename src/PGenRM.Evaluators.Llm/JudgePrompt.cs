using System.Text;
using Microsoft.Extensions.AI;
using PGenRM.Core.Chains;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// The paper's judge prompt (P-GenRM Fig. 11 / the release's USER_PREFERENCE_ANALYSIS_PROMPT, paraphrased): the system
/// message holds the role, the user's history block (h pairs, "User / Chosen / Rejected"), the optional stated
/// preference (the PSI prompt's "desired style" slot), the two-part output specification and the JSON specification;
/// the user message holds the query and the two responses between the paper's literal section markers.
/// </summary>
public static class JudgePrompt
{
    /// <summary>The history block's opening marker.</summary>
    public const string HistoryStart = "[The Start of User's preference history]";

    /// <summary>The history block's closing marker.</summary>
    public const string HistoryEnd = "[The End of User's preference history]";

    /// <summary>The system and user messages for one chain over two responses, in the order given.</summary>
    /// <param name="history">The h pairs the chain quotes.</param>
    /// <param name="statedPreference">The stated preference, or null.</param>
    /// <param name="query">The current query.</param>
    /// <param name="first">The response shown as Response 1.</param>
    /// <param name="second">The response shown as Response 2.</param>
    public static List<ChatMessage> Build(IReadOnlyList<JudgePair> history, string? statedPreference, string query, string first, string second)
    {
        ArgumentNullException.ThrowIfNull(history);
        var system = new StringBuilder();
        system.Append("You are a meticulous user preference analysis expert. From a user's past choices you infer what this user ")
            .Append("values in the current scenario, derive a personalized weighted scoring rubric, and score new responses with it.\n\n");
        system.Append(HistoryStart).Append('\n');
        foreach (var pair in history)
        {
            system.Append("User: ").Append(pair.Query).Append('\n')
                .Append("Chosen: ").Append(pair.Chosen).Append('\n')
                .Append("Rejected: ").Append(pair.Rejected).Append("\n\n");
        }

        if (history.Count == 0)
        {
            system.Append("(no history yet)\n");
        }

        system.Append(HistoryEnd).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(statedPreference))
        {
            system.Append("[The user's stated preference]\n").Append(statedPreference).Append("\n\n");
        }

        system.Append("Goal: infer the user's style for this scenario, derive weighted criteria, score both responses, output JSON.\n\n")
            .Append("Part 1: Chain-of-Thought Analysis\n")
            .Append("1. Persona for this scenario: the user's preferred style, content and structure, and core values. ")
            .Append("State only conclusions the history supports with high confidence.\n")
            .Append("2. Personalized scoring criteria: name the criteria and say why each matters to this user.\n\n")
            .Append("Part 2: Final Scoring and JSON\n")
            .Append("Write ").Append(PaperChainFormat.StartMarker).Append(", then one JSON object, then ").Append(PaperChainFormat.EndMarker)
            .Append(". The object has exactly two keys:\n")
            .Append("- \"rationale\": a string with two sections. \"A. Evaluation Criteria & Weights\": one line per criterion, ")
            .Append("\"<n>. <name> (<weight>%): <why>\"; the weights sum to 100%. \"B. Scoring Breakdown\": for each response, ")
            .Append("one line per criterion \"- <name>: <score>/10 (<justification>)\" with scores from 1 (poor) to 10 (excellent), ")
            .Append("then the weighted sum, e.g. \"Response 1 Final Score = (4×0.35)+(6×0.30)+(7×0.20)+(7×0.15) = 5.4\".\n")
            .Append("- \"better_response\": {\"response_1\": <final score>, \"response_2\": <final score>} with the final scores as numbers from 1 to 10.\n");

        var user = new StringBuilder()
            .Append("[The Start of User Input]\n").Append(query).Append("\n[The End of User Input]\n\n")
            .Append("[The Start of Response 1]\n").Append(first).Append("\n[The End of Response 1]\n\n")
            .Append("[The Start of Response 2]\n").Append(second).Append("\n[The End of Response 2]\n");
        return [new ChatMessage(ChatRole.System, system.ToString()), new ChatMessage(ChatRole.User, user.ToString())];
    }

    /// <summary>The one repair turn after a malformed answer: the answer, then what was wrong and what to send instead.</summary>
    public static List<ChatMessage> Repair(IReadOnlyList<ChatMessage> prompt, string answer, string problem)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var messages = new List<ChatMessage>(prompt) { new(ChatRole.Assistant, answer) };
        messages.Add(new ChatMessage(
            ChatRole.User,
            $"Your answer could not be read: {problem} Reply again with Part 2 only: {PaperChainFormat.StartMarker}, the JSON object "
            + $"with \"rationale\" (weights summing to 100%) and \"better_response\" (numbers from 1 to 10), then {PaperChainFormat.EndMarker}."));
        return messages;
    }
}

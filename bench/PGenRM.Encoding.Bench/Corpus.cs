namespace PGenRM.Encoding.Bench;

/// <summary>Deterministic synthetic English-like sentences with a uniform spread of token counts.</summary>
internal static class Corpus
{
    private static readonly string[] Words =
    [
        "the", "a", "model", "user", "prefers", "short", "answers", "with", "clear", "examples", "and", "polite", "tone",
        "when", "asked", "about", "history", "science", "cooking", "travel", "budget", "software", "release", "weather",
        "because", "although", "however", "detailed", "explanation", "summary", "bullet", "points", "formal", "casual",
        "response", "should", "avoid", "jargon", "include", "references", "reviewers", "noticed", "that", "quickly",
        "students", "teacher", "library", "museum", "river", "mountain", "city", "train", "delayed", "morning", "evening",
        "customers", "complained", "support", "ticket", "resolved", "within", "two", "days", "after", "update", "battery",
        "improved", "security", "issues", "fixed", "recipe", "flour", "salt", "sugar", "oven", "minutes", "quality",
        "reward", "personalized", "preference", "criteria", "helpful", "harmless", "honest", "concise", "verbose",
        "children", "played", "football", "park", "sunset", "astronomers", "discovered", "planet", "orbiting", "star",
        "market", "fell", "sharply", "interest", "rates", "committee", "approved", "debate", "novel", "ending", "happy",
        "museum's", "collection", "rare", "editions", "founding", "family", "centuries", "careful", "evaluation", "data",
        "unbelievably", "counterintuitive", "internationalization", "misunderstanding", "straightforward",
    ];

    private static readonly string[] Joiners = [",", ";", " and", " but", " so", " while", " because"];

    /// <summary>Builds <paramref name="count"/> sentences whose token counts (with [CLS]/[SEP]) are spread over [min, max].</summary>
    public static string[] Build(Func<string, int> countTokens, int count, int minTokens, int maxTokens, int seed = 42)
    {
        var random = new Random(seed);
        var sentences = new string[count];
        for (var i = 0; i < count; i++)
        {
            // Words add 1-4 tokens, so aim a little low and stop once the target is reached.
            var target = random.Next(minTokens, maxTokens - 2);
            var words = new List<string>();
            var text = string.Empty;
            while (true)
            {
                var next = words.Count > 0 && random.Next(9) == 0
                    ? Joiners[random.Next(Joiners.Length)] + " " + Words[random.Next(Words.Length)]
                    : Words[random.Next(Words.Length)];
                var candidate = words.Count == 0
                    ? char.ToUpperInvariant(next[0]) + next[1..]
                    : text + (next.StartsWith(',') || next.StartsWith(';') ? string.Empty : " ") + next.TrimStart(' ');
                words.Add(next);
                text = candidate;
                if (countTokens(text + ".") >= target)
                {
                    break;
                }
            }

            sentences[i] = text + ".";
        }

        return sentences;
    }
}

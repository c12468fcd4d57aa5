namespace PGenRM.Evaluators.Llm;

/// <summary>
/// Picks the h history pairs a chain quotes. Relevance = Jaccard overlap of the lower-cased word sets (letters and
/// digits, two characters or more) of the pair's query and the current query; ties keep the given order (newest first),
/// so with no overlap at all the h most recent pairs are used. Cheap, deterministic and model-free on purpose: the
/// judge has no embedder of its own, and the paper samples history at random, so any relevance signal is a bonus.
/// </summary>
public static class HistorySelection
{
    /// <summary>The paper's number of history pairs per chain.</summary>
    public const int DefaultH = 3;

    /// <summary>The <paramref name="h"/> pairs most relevant to <paramref name="query"/>, most relevant first.</summary>
    public static IReadOnlyList<JudgePair> Select(string query, IReadOnlyList<JudgePair> history, int h = DefaultH)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(h);
        var words = Words(query);
        return history
            .Select((pair, index) => (pair, index, relevance: Jaccard(words, Words(pair.Query))))
            .OrderByDescending(x => x.relevance)
            .ThenBy(x => x.index)
            .Take(h)
            .Select(x => x.pair)
            .ToList();
    }

    /// <summary>Jaccard overlap of two word sets (0 when either is empty).</summary>
    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        int common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    /// <summary>The lower-cased words (letters and digits, two characters or more) of <paramref name="text"/>.</summary>
    public static HashSet<string> Words(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                if (i - start >= 2)
                {
                    words.Add(text[start..i].ToLowerInvariant());
                }

                start = -1;
            }
        }

        return words;
    }
}

namespace PGenRM.Core.Criteria;

/// <summary>
/// A cheap text statistic that is blended into a criterion's embedding projection. Each kind is
/// oriented so that a larger value means more of the criterion's positive pole.
/// </summary>
public enum TextStatisticKind
{
    /// <summary>The criterion is scored from the embedding projection alone.</summary>
    None = 0,

    /// <summary>−ln(1 + word count): shorter responses score higher.</summary>
    Brevity,

    /// <summary>ln(1 + list lines + 2 × heading lines), outside code blocks.</summary>
    ListStructure,

    /// <summary>ln(1 + 3 × fenced code blocks + inline code spans + 2 × "for example"/"for instance"/"e.g.").</summary>
    CodeAndExamples,

    /// <summary>Hedge words ("maybe", "might", "probably", …) per 100 words, smoothed.</summary>
    HedgeWords,

    /// <summary>First-person singular words ("I", "my", "I'm", …) per 100 words, smoothed.</summary>
    FirstPerson,

    /// <summary>Tokens containing a digit per 100 words, smoothed (numbered-list markers excluded).</summary>
    Numerals,

    /// <summary>ln(1 + number of '!').</summary>
    Exclamations,

    /// <summary>ln(1 + number of '?').</summary>
    Questions,

    /// <summary>−(contractions and casual words such as "gonna", "yeah") per 100 words, smoothed.</summary>
    Formality,

    /// <summary>Cosine similarity between the query and the response embeddings; replaces the projection.</summary>
    QueryRelevance,
}

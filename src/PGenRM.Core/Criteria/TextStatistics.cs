namespace PGenRM.Core.Criteria;

/// <summary>
/// Turns <see cref="TextFeatures"/> into the value of a <see cref="TextStatisticKind"/> and holds the fixed
/// blend weights between a statistic and the embedding projection.
/// </summary>
internal static class TextStatistics
{
    /// <summary>Added to the word count of rate statistics so one hedge in a three-word answer is not 33%.</summary>
    private const double RateSmoothingWords = 10;

    /// <summary>
    /// Share of the statistic in a criterion's blended score (the rest is the embedding projection), both
    /// standardised first. Length, lists and code are measured directly and a sentence encoder barely sees
    /// them, so they lean on the statistic; word-list rates are noisier; punctuation is a weak hint; relevance
    /// is the query–response cosine alone because its anchors cannot know the query.
    /// </summary>
    public static double BlendWeight(TextStatisticKind kind) => kind switch
    {
        TextStatisticKind.None => 0.0,
        TextStatisticKind.Brevity => 0.7,
        TextStatisticKind.ListStructure => 0.6,
        TextStatisticKind.CodeAndExamples => 0.6,
        TextStatisticKind.HedgeWords => 0.5,
        TextStatisticKind.FirstPerson => 0.5,
        TextStatisticKind.Numerals => 0.4,
        TextStatisticKind.Exclamations => 0.3,
        TextStatisticKind.Questions => 0.3,
        TextStatisticKind.Formality => 0.3,
        TextStatisticKind.QueryRelevance => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown text statistic."),
    };

    /// <summary>The statistic's raw value; <paramref name="queryCosine"/> is used only by <see cref="TextStatisticKind.QueryRelevance"/>.</summary>
    public static double Value(TextStatisticKind kind, in TextFeatures f, double queryCosine) => kind switch
    {
        TextStatisticKind.None => 0.0,
        TextStatisticKind.Brevity => -Math.Log(1 + f.Words),
        TextStatisticKind.ListStructure => Math.Log(1 + f.ListLines + (2.0 * f.HeadingLines)),
        TextStatisticKind.CodeAndExamples => Math.Log(1 + (3.0 * f.CodeBlocks) + f.InlineCodeSpans + (2.0 * f.ExampleMarkers)),
        TextStatisticKind.HedgeWords => Rate(f.HedgeWords, f.Words),
        TextStatisticKind.FirstPerson => Rate(f.FirstPersonWords, f.Words),
        TextStatisticKind.Numerals => Rate(f.NumericTokens, f.Words),
        TextStatisticKind.Exclamations => Math.Log(1 + f.Exclamations),
        TextStatisticKind.Questions => Math.Log(1 + f.Questions),
        TextStatisticKind.Formality => -Rate(f.CasualMarkers, f.Words),
        TextStatisticKind.QueryRelevance => queryCosine,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown text statistic."),
    };

    private static double Rate(int count, int words) => 100.0 * count / (words + RateSmoothingWords);
}

namespace PGenRM.Core.Criteria;

/// <summary>
/// One named, human-readable criterion of the bank: a direction in embedding space between a positive and a
/// negative pole, optionally blended with a cheap text statistic.
/// </summary>
/// <param name="Id">Stable lower-case slug (for example <c>concise</c>); never reused for another meaning.</param>
/// <param name="Name">Display name, for example "Concise vs detailed".</param>
/// <param name="Description">One neutral sentence a person reads in a rubric; it must fit both poles.</param>
/// <param name="PositivePole">Short adjective for the positive pole ("Concise"); the rubric name under a positive weight.</param>
/// <param name="NegativePole">Short adjective for the negative pole ("Detailed"); the rubric name under a negative weight.</param>
/// <param name="PositiveAnchors">Example sentences of the positive pole (2–4), ideally topic-matched with the negative ones.</param>
/// <param name="NegativeAnchors">Example sentences of the negative pole (2–4).</param>
/// <param name="TextStatistic">The text statistic blended into the score, or <see cref="TextStatisticKind.None"/>.</param>
public sealed record Criterion(
    string Id,
    string Name,
    string Description,
    string PositivePole,
    string NegativePole,
    IReadOnlyList<string> PositiveAnchors,
    IReadOnlyList<string> NegativeAnchors,
    TextStatisticKind TextStatistic = TextStatisticKind.None);

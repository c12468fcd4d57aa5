namespace PGenRM.Evaluation.Data;

/// <summary>One pairwise choice: <paramref name="UserId"/> preferred <paramref name="ChosenId"/> over <paramref name="RejectedId"/>.</summary>
/// <param name="UserId">The person who judged.</param>
/// <param name="PromptId">The prompt both items answer.</param>
/// <param name="ChosenId">The preferred item.</param>
/// <param name="RejectedId">The other item; never equal to <paramref name="ChosenId"/>.</param>
/// <param name="Order">Time or source order, used to replay judgments in the order they were made; ties are possible.</param>
/// <param name="SourceSplit">The split named by the source file (for example TL;DR's <c>valid1</c>), or <see langword="null"/>.
/// It is the source's own label, not an evaluation split.</param>
public sealed record PairJudgment(string UserId, string PromptId, string ChosenId, string RejectedId, long Order, string? SourceSplit)
{
    /// <summary>
    /// How sure the judge was, 1 (least) to 4 (most), when the source records it; otherwise <see langword="null"/>.
    /// TL;DR stores <c>extra.confidence</c> on a 1–9 scale relative to the summary positions (1 = surely summary 0,
    /// 9 = surely summary 1, 5 never occurs); it is stored here as <c>|confidence − 5|</c> so it no longer depends on position.
    /// </summary>
    public int? Confidence { get; init; }
}

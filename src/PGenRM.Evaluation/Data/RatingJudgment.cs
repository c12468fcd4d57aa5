namespace PGenRM.Evaluation.Data;

/// <summary>One per-item judgment: Polis agree (+1) / disagree (−1), or a GSC rating from 0 (not at all) to 4 (perfectly).</summary>
/// <param name="UserId">The person who judged.</param>
/// <param name="PromptId">The prompt the item answers.</param>
/// <param name="ItemId">The judged item.</param>
/// <param name="Value">Higher is better; only the order of values within one user and prompt is meaningful.</param>
/// <param name="Order">Time or source order (Polis: vote timestamp in ms; GSC: survey step), for replay.</param>
public sealed record RatingJudgment(string UserId, string PromptId, string ItemId, double Value, long Order);

namespace PGenRM.Evaluation.Data;

/// <summary>
/// The query or context that items answer: a Polis conversation (topic and description), a Reddit post
/// (subreddit, title and body), the fixed GSC survey question, or a PersonalRewardBench context.
/// </summary>
/// <param name="Id">Stable id, unique within a dataset.</param>
/// <param name="Text">The text a reward model sees as the prompt.</param>
public sealed record PromptRecord(string Id, string Text);

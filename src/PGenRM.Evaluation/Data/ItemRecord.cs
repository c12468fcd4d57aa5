namespace PGenRM.Evaluation.Data;

/// <summary>
/// One response that users judge: a Polis statement, a TL;DR summary, a GSC statement or a PersonalRewardBench response.
/// Ids are stable across loads (derived from source ids or from a hash of the normalised text), so that splits,
/// caches and embeddings keyed by item id stay valid when the files are read again.
/// </summary>
/// <param name="Id">Stable id, unique within a dataset.</param>
/// <param name="PromptId">The prompt this item answers; every item belongs to exactly one prompt.</param>
/// <param name="Text">The text a reward model scores.</param>
public sealed record ItemRecord(string Id, string PromptId, string Text);

namespace PGenRM.Evaluation;

/// <summary>The embeddings of a dataset's texts, kept so that features can be recomputed in another feature space.</summary>
/// <param name="Prompts">Prompt embedding per prompt id.</param>
/// <param name="Items">Response embedding per item id.</param>
/// <param name="Stated">Stated-preference embedding per user id.</param>
public sealed record EmbeddedTexts(
    IReadOnlyDictionary<string, float[]> Prompts,
    IReadOnlyDictionary<string, float[]> Items,
    IReadOnlyDictionary<string, float[]> Stated);

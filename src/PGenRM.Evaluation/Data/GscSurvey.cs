namespace PGenRM.Evaluation.Data;

/// <summary>
/// The Generative Social Choice chatbot-personalisation survey: the <see cref="Dataset"/> plus the survey's two-sample
/// structure, which an evaluation needs in order to avoid leakage.
/// </summary>
/// <remarks>
/// <para>Two disjoint samples of 100 people. Generation users wrote free text (their stated preferences, survey steps 4–12)
/// and then rated the same 6 statements (steps 14–19). Validation users wrote no free text and rated the same 5 other
/// statements. No user rated both sets, and the sets share no statement.</para>
/// <para>Leakage notes. (1) Every rating row carries a free-text explanation of that rating; it states the label, so the
/// loader never reads it into the model input (README). (2) According to the paper (Fish et al. 2023, not stated in the
/// README), the 5 validation statements are the slate the method produced from the generation users' free text, pooled
/// over all 100 of them; the data does not say which user's text shaped which statement. So the generation users' stated
/// preferences are the statements' source material: use them as context for generation users (whose ratings are on the
/// other set) or as population knowledge, but do not present a held-out evaluation of <see cref="SlateStatementIds"/>
/// as "unseen content" for a model that was fitted on those texts. (3) Stated preferences precede the ratings in the
/// survey, so they cannot echo a rating.</para>
/// </remarks>
public sealed class GscSurvey
{
    internal GscSurvey(
        PreferenceDataset dataset,
        IReadOnlyList<string> generationUserIds,
        IReadOnlyList<string> validationUserIds,
        IReadOnlyList<string> generationStatementIds,
        IReadOnlyList<string> slateStatementIds)
    {
        Dataset = dataset;
        GenerationUserIds = generationUserIds;
        ValidationUserIds = validationUserIds;
        GenerationStatementIds = generationStatementIds;
        SlateStatementIds = slateStatementIds;
    }

    /// <summary>Ratings 0–4 of statements and the generation users' stated preferences.</summary>
    public PreferenceDataset Dataset { get; }

    /// <summary>Users of the <c>generation</c> sample (free text + ratings of <see cref="GenerationStatementIds"/>), ordinal order.</summary>
    public IReadOnlyList<string> GenerationUserIds { get; }

    /// <summary>Users of the <c>validation</c> sample (ratings of <see cref="SlateStatementIds"/> only), ordinal order.</summary>
    public IReadOnlyList<string> ValidationUserIds { get; }

    /// <summary>The statements the generation users rated, ordinal order (the survey showed them in a random order per user).</summary>
    public IReadOnlyList<string> GenerationStatementIds { get; }

    /// <summary>
    /// The statements the validation users rated, ordinal order: per the paper, the slate produced from the
    /// generation users' pooled free text (see the remarks on leakage).
    /// </summary>
    public IReadOnlyList<string> SlateStatementIds { get; }
}

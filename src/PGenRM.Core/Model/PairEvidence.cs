namespace PGenRM.Core.Model;

/// <summary>
/// One feedback pair as a user's history keeps it: the content difference x(q, chosen) − x(q, rejected), the two
/// items' statistics as they were when the pair arrived, and the query embedding (for query-relevant resampling).
/// </summary>
/// <param name="ChosenItemId">Item id of the chosen response.</param>
/// <param name="RejectedItemId">Item id of the rejected response.</param>
/// <param name="ContentDiff">x(q, chosen) − x(q, rejected).</param>
/// <param name="Chosen">Chosen item's statistics at feedback time.</param>
/// <param name="Rejected">Rejected item's statistics at feedback time.</param>
/// <param name="QueryEmbedding">Embedding of the query.</param>
/// <param name="Weight">Weight of the pair (1 for an explicit choice; rating-derived pairs may weigh by the rating gap).</param>
public sealed record PairEvidence(
    string ChosenItemId,
    string RejectedItemId,
    double[] ContentDiff,
    ItemView Chosen,
    ItemView Rejected,
    float[] QueryEmbedding,
    double Weight = 1)
{
    /// <summary>The user-side observation of this pair.</summary>
    public LogisticObservation ToObservation() => SchemeLearner.UserObservation(ContentDiff, Chosen, Rejected, Weight);
}

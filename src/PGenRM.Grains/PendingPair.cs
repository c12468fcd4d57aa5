namespace PGenRM.Grains;

/// <summary>A pair ready to apply: as stored, plus the two items' content factor priors (for their judgments).</summary>
/// <param name="Stored">The pair as the user's history keeps it.</param>
/// <param name="ChosenFactorPrior">Chosen item's content-derived factor prior u (unscaled).</param>
/// <param name="RejectedFactorPrior">Rejected item's content-derived factor prior u (unscaled).</param>
internal sealed record PendingPair(StoredPair Stored, double[] ChosenFactorPrior, double[] RejectedFactorPrior);

namespace PGenRM.Core.Model;

/// <summary>
/// What scoring needs of an item: its strength b and full factor v = scale·u + o (content-derived prior plus
/// learned offset). An item nobody has judged has b = 0 and v = scale·u, so its score comes from content alone.
/// </summary>
/// <param name="Strength">Learned item strength b.</param>
/// <param name="Factor">Item factor v (length F).</param>
/// <param name="PriorFactor">The content-derived part scale·u of <see cref="Factor"/> (length F), so that the
/// chain can count p·scale·u as content and only b + p·o as learned from judgments; null when unknown, in which
/// case the whole factor counts as learned.</param>
public readonly record struct ItemView(double Strength, double[] Factor, double[]? PriorFactor = null)
{
    /// <summary>An unseen item: strength 0 and the content-derived factor, all of it content.</summary>
    public static ItemView Unseen(double[] factorPrior) => new(0, factorPrior, factorPrior);

    /// <summary>
    /// Whether anyone has judged the item: a fitted item has a non-zero strength or a learned factor offset; an item
    /// with no judgments is exactly <see cref="Unseen"/> (b = 0, v = its content prior). Unknown prior: judged.
    /// </summary>
    public bool Judged => Strength != 0 || PriorFactor is null || PriorFactor.Length != Factor.Length || !Factor.AsSpan().SequenceEqual(PriorFactor);

    /// <summary>
    /// Whether the view shows other people's judgments, as far as any view can tell: <see cref="Judged"/> when the
    /// content prior is known; when it is not (a stored pair keeps b and v but not u), a non-zero strength, since an
    /// item fitted on judgments has b ≠ 0 and an unseen one exactly 0. The user fit's collaborative stage counts a pair
    /// only when one of its items recurs (<see cref="LogisticObservation.CollaborativeWeight"/>), and the service's
    /// stored pairs and fresh views must agree on it.
    /// </summary>
    public bool Recurs => PriorFactor is null ? Strength != 0 : Judged;

    /// <summary>
    /// The factor that scores use: <see cref="Factor"/> for a judged item, zeros for an item no one has judged. The
    /// collaborative part's weight thus follows the evidence that the item recurs: 0 for new content (whose p·u would be
    /// content seen through a factor learned on other items: on the DSP development split it cost the full method 4.9
    /// points against the content part alone), and growing with the judgments that move b and o off their zero prior.
    /// Training still uses v = scale·u + o, whose content prior breaks the symmetry between p and o.
    /// </summary>
    public double[] ScoredFactor => Judged ? Factor : new double[Factor.Length];

    /// <summary>
    /// p·(v − scale·u): the part of p·v learned from judgments (all of p·v when <see cref="PriorFactor"/> is unknown).
    /// </summary>
    public double LearnedFactorScore(ReadOnlySpan<double> userFactor)
    {
        double total = 0;
        bool hasPrior = PriorFactor is not null && PriorFactor.Length == Factor.Length;
        for (int k = 0; k < Factor.Length; k++)
        {
            total += userFactor[k] * (hasPrior ? Factor[k] - PriorFactor![k] : Factor[k]);
        }

        return total;
    }
}

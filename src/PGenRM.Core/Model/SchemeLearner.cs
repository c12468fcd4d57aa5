namespace PGenRM.Core.Model;

/// <summary>
/// The per-entity fits of the hybrid model: a user's scheme θ = [w; p] and an item's statistics φ = [b; o].
/// The service calls these after each feedback; the offline trainer calls the same functions in rounds.
/// </summary>
public static class SchemeLearner
{
    /// <summary>
    /// Fits a user's posterior for each prior scale in the grid and keeps the best by
    /// <see cref="HybridModelOptions.PriorScaleCriterion"/>: the Laplace evidence (empirical Bayes) or the approximate
    /// leave-one-out likelihood. Users with a distinct, consistent taste get a weak prior, users whose pairs their
    /// prior already explains a strong one. Ties go to the stronger prior. With no observations the prior itself is
    /// returned at the strongest scale.
    /// </summary>
    public static LaplacePosterior FitUser(
        DiagonalGaussian prior,
        IReadOnlyList<LogisticObservation> observations,
        HybridModelOptions options,
        FoldedEvidence? folded = null,
        double[]? start = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        LaplacePosterior? best = null;
        var warm = start;
        foreach (double scale in options.PriorScaleGrid.OrderByDescending(s => s))
        {
            // Strongest prior first: each weaker fit starts from the previous mode, which is close.
            var fit = BayesianLogistic.Fit(prior, scale, observations, folded, warm, options.NewtonIterations);
            warm = fit.Mean;
            if (best is null || Criterion(fit, options) > Criterion(best, options) + 1e-9)
            {
                best = fit;
            }

            if (observations.Count == 0)
            {
                break;
            }
        }

        return best!;
    }

    private static double Criterion(LaplacePosterior fit, HybridModelOptions options) =>
        options.PriorScaleCriterion == PriorScaleCriterion.LeaveOneOut ? fit.LeaveOneOutLogLikelihood : fit.LogEvidence;

    /// <summary>
    /// Fits a user at one fixed prior scale (history subsamples at test time; the online update between grid
    /// searches, with the folded evidence).
    /// </summary>
    public static LaplacePosterior FitUserAtScale(
        DiagonalGaussian prior,
        double scale,
        IReadOnlyList<LogisticObservation> observations,
        HybridModelOptions options,
        double[]? start = null,
        FoldedEvidence? folded = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BayesianLogistic.Fit(prior, scale, observations, folded, start, options.NewtonIterations);
    }

    /// <summary>Fits an item's strength and factor offset φ = [b; o] around a zero-mean prior.</summary>
    public static LaplacePosterior FitItem(
        IReadOnlyList<LogisticObservation> observations,
        HybridModelOptions options,
        FoldedEvidence? folded = null,
        double[]? start = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BayesianLogistic.Fit(ItemPrior(options), 1.0, observations, folded, start, options.NewtonIterations);
    }

    /// <summary>The zero-mean prior of an item's [b; o].</summary>
    public static DiagonalGaussian ItemPrior(HybridModelOptions options)
    {
        var precision = new double[1 + options.FactorDimension];
        precision[0] = options.ItemStrengthPrecision;
        for (int i = 1; i < precision.Length; i++)
        {
            precision[i] = options.ItemFactorPrecision;
        }

        return DiagonalGaussian.Zero(precision);
    }

    /// <summary>
    /// The user-side observation of "chosen ≻ rejected": features [Δx; v_c − v_r], offset b_c − b_r.
    /// </summary>
    public static LogisticObservation UserObservation(
        ReadOnlySpan<double> contentDiff,
        ItemView chosen,
        ItemView rejected,
        double weight = 1)
    {
        int d = contentDiff.Length;
        int f = chosen.Factor.Length;
        var z = new double[d + f];
        contentDiff.CopyTo(z);
        for (int k = 0; k < f; k++)
        {
            z[d + k] = chosen.Factor[k] - rejected.Factor[k];
        }

        return new LogisticObservation(z, chosen.Strength - rejected.Strength, weight);
    }

    /// <summary>
    /// The item-side observation for item i judged by a user with factor p: features sign·[1; p] and offset
    /// sign·(p·uᵢ) + rest, where rest is the margin part owned by the user and the other item.
    /// </summary>
    public static LogisticObservation ItemObservation(
        int sign,
        ReadOnlySpan<double> userFactor,
        ReadOnlySpan<double> itemFactorPrior,
        double rest,
        double weight = 1)
    {
        int f = userFactor.Length;
        var z = new double[1 + f];
        z[0] = sign;
        double pu = 0;
        for (int k = 0; k < f; k++)
        {
            z[1 + k] = sign * userFactor[k];
            pu += userFactor[k] * itemFactorPrior[k];
        }

        return new LogisticObservation(z, sign * pu + rest, weight);
    }
}

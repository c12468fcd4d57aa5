namespace PGenRM.Evaluation.Reports;

/// <summary>One method's numbers aggregated over seeds (accuracies in percent).</summary>
public sealed record MethodRow
{
    /// <summary>Method name (see <see cref="MethodNames"/>).</summary>
    public required string Method { get; init; }

    /// <summary>Macro accuracy, ties wrong: mean over seeds.</summary>
    public double Macro { get; init; }

    /// <summary>Standard deviation of the macro accuracy over seeds.</summary>
    public double MacroSd { get; init; }

    /// <summary>Mean over seeds of the bootstrap 95% interval's lower end.</summary>
    public double Low { get; init; }

    /// <summary>Mean over seeds of the bootstrap 95% interval's upper end.</summary>
    public double High { get; init; }

    /// <summary>Macro accuracy with ties dropped: mean over seeds.</summary>
    public double MacroTiesDropped { get; init; }

    /// <summary>Micro accuracy (ties wrong): mean over seeds.</summary>
    public double Micro { get; init; }

    /// <summary>Paired difference to the population model: mean over seeds.</summary>
    public double DeltaPopulation { get; init; }

    /// <summary>Standard deviation of that difference over seeds.</summary>
    public double DeltaPopulationSd { get; init; }

    /// <summary>Seeds whose paired 95% interval of the difference to the population lies above zero.</summary>
    public int SeedsAbovePopulation { get; init; }

    /// <summary>Paired difference to item popularity (shared content only), mean over seeds; NaN otherwise.</summary>
    public double DeltaPopularity { get; init; } = double.NaN;

    /// <summary>Seeds whose paired interval to item popularity lies above zero.</summary>
    public int SeedsAbovePopularity { get; init; }

    /// <summary>Paired difference to the full method without scaling, mean over seeds; NaN where not applicable.</summary>
    public double DeltaUnscaled { get; init; } = double.NaN;

    /// <summary>Seeds whose paired interval to the unscaled full method lies above zero.</summary>
    public int SeedsAboveUnscaled { get; init; }

    /// <summary>Users evaluated (mean over seeds).</summary>
    public double Users { get; init; }

    /// <summary>Test pairs (mean over seeds).</summary>
    public double Pairs { get; init; }

    /// <summary>Mean log-loss (nats) of the preference probability σ(margin), pooled over pairs, mean over seeds.</summary>
    public double LogLoss { get; init; } = double.NaN;

    /// <summary>Expected calibration error of the preference probability (10 confidence bins), mean over seeds.</summary>
    public double Ece { get; init; } = double.NaN;

    /// <summary>Scoring wall time per 1,000 pairs in milliseconds (mean over seeds).</summary>
    public double MillisecondsPerThousand { get; init; }
}

namespace PGenRM.Evaluation.Metrics;

/// <summary>Counts of outcomes for one user under one method.</summary>
public sealed class UserTally
{
    /// <summary>Pairs scored right.</summary>
    public int Correct { get; set; }

    /// <summary>Pairs scored wrong.</summary>
    public int Wrong { get; set; }

    /// <summary>Pairs with equal scores.</summary>
    public int Ties { get; set; }

    /// <summary>All pairs.</summary>
    public int Total => Correct + Wrong + Ties;

    /// <summary>Pairs that came with a preference probability (the calibration statistics count only these).</summary>
    public int Calibrated { get; private set; }

    /// <summary>Sum over calibrated pairs of −ln P(chosen ≻ rejected).</summary>
    public double LogLossSum { get; private set; }

    /// <summary>
    /// Reliability bins over the confidence max(p, 1 − p) ∈ [0.5, 1], <see cref="CalibrationBins"/> equal-width bins:
    /// pairs, summed confidence and pairs where the more probable answer was the chosen one.
    /// </summary>
    public (int Pairs, double Confidence, double Right)[] Bins { get; } = new (int, double, double)[CalibrationBins];

    /// <summary>Number of reliability bins of the expected calibration error.</summary>
    public const int CalibrationBins = 10;

    /// <summary>Adds one outcome with the model's probability that the chosen answer is preferred.</summary>
    public void Add(PairOutcome outcome, double probabilityChosen)
    {
        Add(outcome);
        if (double.IsNaN(probabilityChosen))
        {
            return;
        }

        // Clamped so that one confidently wrong pair costs at most ~28 nats instead of infinity.
        double p = Math.Clamp(probabilityChosen, 1e-12, 1 - 1e-12);
        Calibrated++;
        LogLossSum -= Math.Log(p);
        double confidence = Math.Max(p, 1 - p);
        int bin = Math.Min(CalibrationBins - 1, (int)((confidence - 0.5) * 2 * CalibrationBins));
        var (pairs, sum, right) = Bins[bin];
        Bins[bin] = (pairs + 1, sum + confidence, right + (p > 0.5 ? 1 : p < 0.5 ? 0 : 0.5));
    }

    /// <summary>Adds one outcome.</summary>
    public void Add(PairOutcome outcome)
    {
        switch (outcome)
        {
            case PairOutcome.Correct: Correct++; break;
            case PairOutcome.Wrong: Wrong++; break;
            default: Ties++; break;
        }
    }

    /// <summary>Accuracy under a tie convention, or null when no pair counts (all ties dropped).</summary>
    public double? Accuracy(TieConvention convention) => convention switch
    {
        TieConvention.TiesWrong => Total == 0 ? null : Correct / (double)Total,
        TieConvention.TiesDropped => Correct + Wrong == 0 ? null : Correct / (double)(Correct + Wrong),
        _ => Total == 0 ? null : (Correct + 0.5 * Ties) / Total,
    };
}

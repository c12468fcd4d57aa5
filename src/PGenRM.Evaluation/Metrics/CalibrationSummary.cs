namespace PGenRM.Evaluation.Metrics;

/// <summary>
/// Calibration of the preference probability P(chosen ≻ rejected), pooled over all pairs of all users: the mean
/// log-loss (nats) and the expected calibration error over <see cref="UserTally.CalibrationBins"/> equal-width bins of
/// the confidence max(p, 1 − p) (Σ_bins pairs/total · |accuracy − mean confidence|). Ties count as half right.
/// </summary>
/// <param name="LogLoss">Mean −ln P(chosen ≻ rejected); ln 2 ≈ 0.693 is a coin flip.</param>
/// <param name="Ece">Expected calibration error in [0, 0.5].</param>
/// <param name="Pairs">Pairs that carried a probability.</param>
public sealed record CalibrationSummary(double LogLoss, double Ece, int Pairs)
{
    /// <summary>Pools the tallies of one method; NaN when no pair carried a probability.</summary>
    public static CalibrationSummary From(IEnumerable<UserTally> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var list = users.ToList();
        int pairs = list.Sum(u => u.Calibrated);
        if (pairs == 0)
        {
            return new CalibrationSummary(double.NaN, double.NaN, 0);
        }

        double logLoss = list.Sum(u => u.LogLossSum) / pairs;
        double ece = 0;
        for (int b = 0; b < UserTally.CalibrationBins; b++)
        {
            int count = list.Sum(u => u.Bins[b].Pairs);
            if (count == 0)
            {
                continue;
            }

            double confidence = list.Sum(u => u.Bins[b].Confidence) / count;
            double accuracy = list.Sum(u => u.Bins[b].Right) / count;
            ece += count / (double)pairs * Math.Abs(accuracy - confidence);
        }

        return new CalibrationSummary(logLoss, ece, pairs);
    }
}

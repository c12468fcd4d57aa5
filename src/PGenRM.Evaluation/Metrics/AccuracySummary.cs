namespace PGenRM.Evaluation.Metrics;

/// <summary>Macro accuracy (mean over users) with a bootstrap 95% interval over users, and micro accuracy.</summary>
/// <param name="Macro">Mean of per-user accuracies.</param>
/// <param name="Low">2.5th percentile of the bootstrap distribution of the macro accuracy.</param>
/// <param name="High">97.5th percentile.</param>
/// <param name="Micro">Accuracy over all pairs pooled.</param>
/// <param name="Users">Users with at least one counted pair.</param>
/// <param name="Pairs">Pairs counted.</param>
public sealed record AccuracySummary(double Macro, double Low, double High, double Micro, int Users, int Pairs)
{
    /// <summary>Summarises per-user tallies; the bootstrap resamples users with a seeded generator.</summary>
    public static AccuracySummary From(IReadOnlyList<UserTally> users, TieConvention convention, int resamples = 2000, int seed = 12345)
    {
        var accuracies = users.Select(u => u.Accuracy(convention)).Where(a => a is not null).Select(a => a!.Value).ToArray();
        int pairs = convention == TieConvention.TiesDropped ? users.Sum(u => u.Correct + u.Wrong) : users.Sum(u => u.Total);
        double correct = users.Sum(u => u.Correct + (convention == TieConvention.TiesHalf ? 0.5 * u.Ties : 0));
        double micro = pairs == 0 ? double.NaN : correct / pairs;
        if (accuracies.Length == 0)
        {
            return new AccuracySummary(double.NaN, double.NaN, double.NaN, micro, 0, pairs);
        }

        var (low, high) = Bootstrap.MeanInterval(accuracies, resamples, seed);
        return new AccuracySummary(accuracies.Average(), low, high, micro, accuracies.Length, pairs);
    }
}

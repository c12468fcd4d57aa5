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

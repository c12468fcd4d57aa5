namespace PGenRM.Evaluation.Metrics;

/// <summary>How a pair with equal scores counts.</summary>
public enum TieConvention
{
    /// <summary>A tie counts as wrong (the strict convention, used for the headline).</summary>
    TiesWrong,

    /// <summary>Ties are left out (the paper's plain evaluation script does this).</summary>
    TiesDropped,

    /// <summary>A tie counts half.</summary>
    TiesHalf,
}

namespace PGenRM.Evaluation.Metrics;

/// <summary>The result of scoring one test pair: right, wrong, or a tie (equal scores).</summary>
public enum PairOutcome
{
    /// <summary>The user's chosen response scored higher.</summary>
    Correct,

    /// <summary>The rejected response scored higher.</summary>
    Wrong,

    /// <summary>Both responses scored the same.</summary>
    Tie,
}

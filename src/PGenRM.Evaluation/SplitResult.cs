using PGenRM.Evaluation.Metrics;

namespace PGenRM.Evaluation;

/// <summary>Per-user outcome tallies of every method on one split, and timings.</summary>
public sealed class SplitResult
{
    /// <summary>Method → user → tally, seen users.</summary>
    public Dictionary<string, Dictionary<string, UserTally>> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Method → user → tally, unseen users (cold-start rows).</summary>
    public Dictionary<string, Dictionary<string, UserTally>> Unseen { get; } = new(StringComparer.Ordinal);

    /// <summary>Scoring wall time per 1,000 test pairs, per method (training excluded).</summary>
    public Dictionary<string, double> MillisecondsPerThousandPairs { get; } = new(StringComparer.Ordinal);

    /// <summary>Training wall time per trainer.</summary>
    public Dictionary<string, double> TrainSeconds { get; } = new(StringComparer.Ordinal);

    /// <summary>The split's one-line description.</summary>
    public string Split { get; set; } = "";

    /// <summary>
    /// Records one pair from its chosen-minus-rejected margin in logits: the outcome, and σ(margin) as the preference
    /// probability for the calibration columns (the same link <c>CompactEvaluator.PreferenceProbability</c> uses).
    /// </summary>
    public static void Add(Dictionary<string, Dictionary<string, UserTally>> table, string method, string user, double margin) =>
        Add(table, method, user, SplitEvaluator.Outcome(margin), 1 / (1 + Math.Exp(-margin)));

    /// <summary>Records one outcome (and its preference probability, NaN when the method has none).</summary>
    public static void Add(Dictionary<string, Dictionary<string, UserTally>> table, string method, string user, PairOutcome outcome, double probabilityChosen = double.NaN)
    {
        if (!table.TryGetValue(method, out var users))
        {
            table[method] = users = new Dictionary<string, UserTally>(StringComparer.Ordinal);
        }

        if (!users.TryGetValue(user, out var tally))
        {
            users[user] = tally = new UserTally();
        }

        tally.Add(outcome, probabilityChosen);
    }
}

namespace PGenRM.Core.Chains;

/// <summary>One weighted criterion of a chain's rubric.</summary>
/// <param name="CriterionId">The bank's criterion id, prefixed with <c>-</c> when the rubric uses the criterion's
/// negative pole (its scores are then computed on −z), for example <c>-concise</c> for "Detailed".</param>
/// <param name="Name">The pole label the rubric shows ("Concise" or "Detailed").</param>
/// <param name="WeightPercent">Integer weight; a chain's weights sum to exactly 100.</param>
/// <param name="Description">The criterion's rubric sentence.</param>
public sealed record RubricItem(string CriterionId, string Name, int WeightPercent, string Description)
{
    /// <summary>The prefix of <see cref="CriterionId"/> that marks the negative pole.</summary>
    public const string NegativePolePrefix = "-";

    /// <summary>True when the rubric scores the criterion's negative pole.</summary>
    public bool IsNegativePole => CriterionId.StartsWith(NegativePolePrefix, StringComparison.Ordinal);

    /// <summary>The bank's criterion id without the negative-pole prefix.</summary>
    public string BaseCriterionId => IsNegativePole ? CriterionId[NegativePolePrefix.Length..] : CriterionId;
}

namespace PGenRM.Core.Chains;

/// <summary>The evaluation of one candidate response. Equality compares <see cref="CriterionScores"/> element-wise.</summary>
/// <param name="Index">0-based position of the response among the candidates (the paper's <c>response_{Index + 1}</c>).</param>
/// <param name="CriterionScores">1–10 score per rubric item, aligned with <see cref="EvaluationChain.Rubric"/>.</param>
/// <param name="FinalScore">1–10 final score; final scores order exactly like <paramref name="Reward"/>.</param>
/// <param name="Reward">The model's reward for this response (unbounded; what callers rank by).</param>
public sealed record ResponseEvaluation(int Index, IReadOnlyList<double> CriterionScores, double FinalScore, double Reward)
{
    /// <inheritdoc/>
    public bool Equals(ResponseEvaluation? other) =>
        other is not null
        && Index == other.Index
        && FinalScore.Equals(other.FinalScore)
        && Reward.Equals(other.Reward)
        && ListEquality.SequenceEqual(CriterionScores, other.CriterionScores);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Index, FinalScore, Reward, ListEquality.SequenceHash(CriterionScores));
}

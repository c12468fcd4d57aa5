namespace PGenRM.Grains.Abstractions;

/// <summary>The evaluation of one candidate in a <see cref="ChainRecord"/> (Core's <c>ResponseEvaluation</c>).</summary>
/// <param name="Index">0-based position of the response among the candidates.</param>
/// <param name="CriterionScores">1–10 score per rubric item, aligned with the rubric.</param>
/// <param name="FinalScore">1–10 final score.</param>
/// <param name="Reward">The reward for this response.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ChainResponse")]
public sealed record ChainResponse(
    [property: Id(0)] int Index,
    [property: Id(1)] IReadOnlyList<double> CriterionScores,
    [property: Id(2)] double FinalScore,
    [property: Id(3)] double Reward);

namespace PGenRM.Grains.Abstractions;

/// <summary>One weighted criterion of a <see cref="ChainRecord"/>'s rubric (Core's <c>RubricItem</c>).</summary>
/// <param name="CriterionId">The bank's criterion id, prefixed with <c>-</c> for the criterion's negative pole.</param>
/// <param name="Name">The pole label the rubric shows.</param>
/// <param name="WeightPercent">Integer weight; a chain's weights sum to exactly 100.</param>
/// <param name="Description">The criterion's rubric sentence.</param>
/// <param name="IsNegativePole">True when the rubric scores the criterion's negative pole.</param>
/// <param name="BaseCriterionId">The bank's criterion id without the negative-pole prefix.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ChainRubricItem")]
public sealed record ChainRubricItem(
    [property: Id(0)] string CriterionId,
    [property: Id(1)] string Name,
    [property: Id(2)] int WeightPercent,
    [property: Id(3)] string Description,
    [property: Id(4)] bool IsNegativePole,
    [property: Id(5)] string BaseCriterionId);

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// The evaluation chain of a score as it crosses the grain boundary (Core's <c>EvaluationChain</c>, field for field):
/// persona, weighted rubric, per-response scores, the preferred response and the scaling trace. The host writes it
/// as JSON once, at the edge.
/// </summary>
/// <param name="Persona">1–3 sentences describing the user's preferences in this scenario.</param>
/// <param name="ScenarioId">Id of the query's scenario.</param>
/// <param name="ScenarioName">Display name of the scenario.</param>
/// <param name="Rubric">Weighted criteria; weights sum to 100.</param>
/// <param name="Responses">One evaluation per candidate, in candidate order.</param>
/// <param name="PreferredIndex">0-based index of the preferred response.</param>
/// <param name="Scaling">How test-time scaling produced the rewards.</param>
/// <param name="ModelVersion">Version of the evaluator/model that produced the chain.</param>
/// <param name="CriteriaVersion">Version of the criteria bank.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ChainRecord")]
public sealed record ChainRecord(
    [property: Id(0)] string Persona,
    [property: Id(1)] string ScenarioId,
    [property: Id(2)] string ScenarioName,
    [property: Id(3)] IReadOnlyList<ChainRubricItem> Rubric,
    [property: Id(4)] IReadOnlyList<ChainResponse> Responses,
    [property: Id(5)] int PreferredIndex,
    [property: Id(6)] ChainScaling Scaling,
    [property: Id(7)] string ModelVersion,
    [property: Id(8)] string CriteriaVersion);

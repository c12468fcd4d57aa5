namespace PGenRM.Core.Chains;

/// <summary>
/// The paper's evaluation chain for one user, one query and its candidate responses: persona, weighted rubric,
/// per-criterion and final scores, the preferred response and the scaling trace. Both evaluator backends return
/// it. Equality is by value, lists included, so a chain that went through <see cref="PaperChainFormat"/> equals
/// the original.
/// </summary>
/// <param name="Persona">1–3 sentences describing the user's preferences in this scenario.</param>
/// <param name="ScenarioId">Id of the query's scenario.</param>
/// <param name="ScenarioName">Display name of the scenario.</param>
/// <param name="Rubric">Weighted criteria; weights sum to 100.</param>
/// <param name="Responses">One evaluation per candidate, in candidate order.</param>
/// <param name="PreferredIndex">0-based index of the preferred response (highest reward, ties to the lowest index).</param>
/// <param name="Scaling">The scaling trace.</param>
/// <param name="ModelVersion">Version of the evaluator/model that produced the chain.</param>
/// <param name="CriteriaVersion">Version of the criteria bank (for example <c>criteria-v1</c>).</param>
public sealed record EvaluationChain(
    string Persona,
    string ScenarioId,
    string ScenarioName,
    IReadOnlyList<RubricItem> Rubric,
    IReadOnlyList<ResponseEvaluation> Responses,
    int PreferredIndex,
    ScalingTrace Scaling,
    string ModelVersion,
    string CriteriaVersion)
{
    /// <inheritdoc/>
    public bool Equals(EvaluationChain? other) =>
        other is not null
        && string.Equals(Persona, other.Persona, StringComparison.Ordinal)
        && string.Equals(ScenarioId, other.ScenarioId, StringComparison.Ordinal)
        && string.Equals(ScenarioName, other.ScenarioName, StringComparison.Ordinal)
        && PreferredIndex == other.PreferredIndex
        && Equals(Scaling, other.Scaling)
        && string.Equals(ModelVersion, other.ModelVersion, StringComparison.Ordinal)
        && string.Equals(CriteriaVersion, other.CriteriaVersion, StringComparison.Ordinal)
        && ListEquality.SequenceEqual(Rubric, other.Rubric)
        && ListEquality.SequenceEqual(Responses, other.Responses);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(
            Persona, ScenarioId, PreferredIndex, Scaling, ModelVersion, CriteriaVersion,
            ListEquality.SequenceHash(Rubric), ListEquality.SequenceHash(Responses));
}

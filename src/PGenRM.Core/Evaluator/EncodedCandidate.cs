namespace PGenRM.Core.Evaluator;

/// <summary>A candidate response encoded for a query: its item id, criterion scores, content features and factor prior.</summary>
/// <param name="ItemId">Client-given id or the normalised-text hash.</param>
/// <param name="CriterionScores">Standardised bank criterion scores (for the rubric).</param>
/// <param name="Content">Content features x(q, r).</param>
/// <param name="FactorPrior">Content-derived item factor prior u(r).</param>
public sealed record EncodedCandidate(string ItemId, float[] CriterionScores, double[] Content, double[] FactorPrior);

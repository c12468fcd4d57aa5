using PGenRM.Core.Chains;

namespace PGenRM.Evaluators.Llm;

/// <summary>The judge's answer for one request.</summary>
/// <param name="Scores">Fused 1–10 score per candidate, in candidate order (the reward).</param>
/// <param name="PreferredIndex">Index of the highest score (ties: lowest index, as the paper's scaling script).</param>
/// <param name="Chain">The evaluation chain: the model's persona and rubric from the user's first readable chain, final scores fused.</param>
/// <param name="Trace">What each level contributed and what it cost.</param>
public sealed record JudgeResult(double[] Scores, int PreferredIndex, EvaluationChain Chain, JudgeTrace Trace);

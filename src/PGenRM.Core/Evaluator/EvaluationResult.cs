using PGenRM.Core.Chains;
using PGenRM.Core.Model;

namespace PGenRM.Core.Evaluator;

/// <summary>Rewards in candidate order, the evaluation chain, and the scaling parts behind them.</summary>
public sealed record EvaluationResult(double[] Rewards, EvaluationChain Chain, ScaledScores Scaling);

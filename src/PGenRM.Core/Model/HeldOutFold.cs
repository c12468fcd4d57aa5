namespace PGenRM.Core.Model;

/// <summary>
/// One held-out fold of a prototype member for <see cref="PrototypeShrinkage.HeldOutKappa"/>: the member's scheme fitted
/// without the fold's pairs (it picks the prototype the fold is scored under) and the log-likelihood of the fold's pairs
/// under a scheme.
/// </summary>
/// <param name="Scheme">The member's scheme fitted on its other pairs, as long as the population scheme.</param>
/// <param name="LogLikelihood">A scheme → the log-likelihood of the fold's pairs under it.</param>
public sealed record HeldOutFold(double[] Scheme, Func<double[], double> LogLikelihood);

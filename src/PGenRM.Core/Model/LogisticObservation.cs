namespace PGenRM.Core.Model;

/// <summary>
/// One Bradley–Terry observation for a linear learner: the chosen side wins with probability
/// σ(θ·Features + Offset). Offset carries the part of the margin that this learner does not own
/// (for a user: the items' strengths; for an item: the user's content score).
/// </summary>
/// <param name="Features">Feature difference (chosen − rejected) in the learner's parameter space.</param>
/// <param name="Offset">Fixed part of the margin.</param>
/// <param name="Weight">Observation weight (1 for a real pair; stated preferences may count less).</param>
public sealed record LogisticObservation(double[] Features, double Offset = 0, double Weight = 1);

namespace PGenRM.Core.Model;

/// <summary>
/// One Bradley–Terry observation for a linear learner: the chosen side wins with probability
/// σ(θ·Features + Offset). Offset carries the part of the margin that this learner does not own
/// (for a user: the items' strengths; for an item: the user's content score).
/// </summary>
/// <param name="Features">Feature difference (chosen − rejected) in the learner's parameter space.</param>
/// <param name="Offset">Fixed part of the margin.</param>
/// <param name="Weight">Observation weight (1 for a real pair; stated preferences may count less).</param>
public sealed record LogisticObservation(double[] Features, double Offset = 0, double Weight = 1)
{
    /// <summary>
    /// For a user-side pair with a collaborative block (<see cref="SchemeLearner.UserObservation"/>): the length of the
    /// content block Δx at the start of <see cref="Features"/> (the rest is Δv and <see cref="Offset"/> is Δb), which
    /// lets <see cref="SchemeLearner.FitUser"/> fit the content part first and the collaborative part on its residual.
    /// Null when the whole vector is content (a stated-preference pseudo-pair, an item-side or population observation).
    /// </summary>
    public int? ContentLength { get; init; }

    /// <summary>
    /// Weight of the pair in the collaborative (residual) stage of a user fit, in [0, 1]: 1 when one of its items was
    /// judged by someone else, 0 when neither was (the pair then says nothing about how this user's taste relates to
    /// other people's judgments, and only the content part learns from it).
    /// </summary>
    public double CollaborativeWeight { get; init; } = 1;
}

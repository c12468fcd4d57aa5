namespace PGenRM.Core.Model;

/// <summary>Another member of the user's prototype, as the prototype level sees it.</summary>
/// <param name="UserId">The neighbour's id (never the scored user's).</param>
/// <param name="Scheme">The neighbour's scheme θ = [w; p; δ].</param>
/// <param name="Similarity">Cosine similarity to the scored user's scheme deviation.</param>
/// <param name="Judgments">The neighbour's actual judgments: item id → mean sign in [−1, 1] (+1 = always chosen).</param>
public sealed record Neighbour(string UserId, double[] Scheme, double Similarity, IReadOnlyDictionary<string, double> Judgments)
{
    /// <summary>
    /// How much judging lies behind <see cref="Similarity"/>: for judgment sketches ‖a‖·‖b‖ / length
    /// (<see cref="JudgmentSketch.Evidence(ReadOnlySpan{double}, ReadOnlySpan{double})"/>), about √(n·n′) for two users
    /// with n and n′ judged items, so that similarity × evidence estimates their net agreement count. 0 when either
    /// has judged nothing; +∞ (the default) when unknown, which leaves the similarity unshrunk.
    /// </summary>
    public double Evidence { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// The neighbour's own judgment sketch (<see cref="JudgmentSketch"/>), when the caller has it: the pool's agreement
    /// among its members (<see cref="PoolAgreement"/>, the target of <see cref="AgreementTarget.Pool"/>) is measured on
    /// these. Single precision, as the grains store sketches, so the scoring worker passes them without a copy. Null when
    /// unknown; such a neighbour does not count toward the pool's agreement.
    /// </summary>
    public float[]? Sketch { get; init; }
}

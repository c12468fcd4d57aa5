namespace PGenRM.Core.Model;

/// <summary>
/// What the agreement weight of a neighbour (<see cref="TestTimeScaler.AgreementWeight(Neighbour, ScalingOptions, PoolAgreement)"/>)
/// is shrunk toward when little judging lies behind it.
/// </summary>
public enum AgreementTarget
{
    /// <summary>Toward 1, the paper's equal mean, whatever the pool (issue 11 session 4).</summary>
    One,

    /// <summary>
    /// Toward a0, the evidence-weighted mean agreement between the neighbours of the same request themselves
    /// (<see cref="PoolAgreement"/>), clamped to [0, 1]; toward 1 when they share no evidence.
    /// </summary>
    Pool,

    /// <summary>
    /// As <see cref="Pool"/>, and the shrunk agreement is then read in units of a0 (floored at the sketch's resolution
    /// 1/√length): a neighbour who agrees with the user as much as the pool's members typically agree with each other
    /// counts fully, so the coverage that dilutes every sketch cosine (users who judged different items) cancels.
    /// </summary>
    PoolRelative,
}

namespace PGenRM.Core.Chains;

/// <summary>How test-time user-based scaling produced a chain's rewards. Equality compares <see cref="Neighbours"/> element-wise.</summary>
/// <param name="M">Number of individual-level schemes averaged (the paper's m).</param>
/// <param name="N">Number of prototype-level neighbours used (the paper's n).</param>
/// <param name="Neighbours">Ids of the neighbours used, most similar first.</param>
/// <param name="Agreement">Share (0–1) of the individual schemes and neighbours whose scores agree with the final preference.</param>
/// <param name="ContentShare">Share of the reward that came from the content part (criteria, scenario, residual).</param>
/// <param name="CollaborativeShare">Share learned from judgments: item strengths, learned item factor offsets and neighbours' judgments (0 for items nobody judged).</param>
/// <param name="ColdStart">True when the user had too little feedback and the prototype prior dominated.</param>
public sealed record ScalingTrace(
    int M,
    int N,
    IReadOnlyList<string> Neighbours,
    double Agreement,
    double ContentShare,
    double CollaborativeShare,
    bool ColdStart)
{
    /// <inheritdoc/>
    public bool Equals(ScalingTrace? other) =>
        other is not null
        && M == other.M
        && N == other.N
        && Agreement.Equals(other.Agreement)
        && ContentShare.Equals(other.ContentShare)
        && CollaborativeShare.Equals(other.CollaborativeShare)
        && ColdStart == other.ColdStart
        && ListEquality.SequenceEqual(Neighbours, other.Neighbours);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(M, N, Agreement, ContentShare, CollaborativeShare, ColdStart, ListEquality.SequenceHash(Neighbours));
}

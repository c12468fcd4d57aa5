namespace PGenRM.Core.Model;

/// <summary>How the prototype level of <see cref="TestTimeScaler"/> weighs the neighbours it asks.</summary>
public enum NeighbourWeighting
{
    /// <summary>Every chosen neighbour counts equally (the paper's mean of the n prototype-level chains).</summary>
    Equal,

    /// <summary>
    /// A neighbour counts with weight a, its measured agreement with the user (by default the cosine of the two users'
    /// judgment sketches, which estimates how often they agreed on the items both judged) shrunk by the evidence behind it
    /// toward the agreement typical of its pool (<see cref="ScalingOptions.AgreementTarget"/>) (<see cref="ScalingOptions.AgreementPrior"/>, <see cref="TestTimeScaler.AgreementWeight(Neighbour, ScalingOptions, PoolAgreement)"/>);
    /// the remaining 1 − a of its share is the user's own score, so a neighbour whose taste disagrees adds nothing.
    /// </summary>
    Agreement,
}

namespace PGenRM.Grains.Abstractions;

/// <summary>How test-time scaling produced a <see cref="ChainRecord"/>'s rewards (Core's <c>ScalingTrace</c>).</summary>
/// <param name="M">Individual-level schemes averaged.</param>
/// <param name="N">Prototype-level neighbours used.</param>
/// <param name="Neighbours">Ids of the neighbours used, most similar first.</param>
/// <param name="Agreement">Share (0–1) of the votes that agree with the final preference.</param>
/// <param name="ContentShare">Share of the reward from the content part.</param>
/// <param name="CollaborativeShare">Share learned from judgments.</param>
/// <param name="ColdStart">True when the prototype prior dominated.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ChainScaling")]
public sealed record ChainScaling(
    [property: Id(0)] int M,
    [property: Id(1)] int N,
    [property: Id(2)] IReadOnlyList<string> Neighbours,
    [property: Id(3)] double Agreement,
    [property: Id(4)] double ContentShare,
    [property: Id(5)] double CollaborativeShare,
    [property: Id(6)] bool ColdStart);

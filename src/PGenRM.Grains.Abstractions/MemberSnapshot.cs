namespace PGenRM.Grains.Abstractions;

/// <summary>A prototype member as neighbour search and re-clustering see it.</summary>
/// <param name="UserKey">The member's grain key "{tenant}/{user}".</param>
/// <param name="Scheme">The member's scheme θ = [w; p; δ].</param>
/// <param name="Sketch">The member's judgment sketch (empty before its first pair).</param>
/// <param name="PairCount">Pairs behind the scheme.</param>
/// <param name="Sequence">The member's own update counter: a prototype ignores a snapshot older than one it holds.</param>
/// <param name="CollaborativeCriteria">The member's collaborative-stage criterion at each prior scale of the model's grid
/// (UserModel.CollaborativeCriteria; empty before a pair whose items others judged): re-clustering sums them into the
/// tenant's scale (PrototypeDirectory.CollaborativeScale).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.MemberSnapshot")]
public sealed record MemberSnapshot(
    [property: Id(0)] string UserKey,
    [property: Id(1)] float[] Scheme,
    [property: Id(2)] float[] Sketch,
    [property: Id(3)] int PairCount,
    [property: Id(4)] long Sequence,
    [property: Id(5)] float[]? CollaborativeCriteria = null);

namespace PGenRM.Grains.Abstractions;

/// <summary>Rewards for candidate responses, in request order.</summary>
/// <param name="Rewards">One reward per candidate (higher = preferred by this user).</param>
/// <param name="ItemIds">The item id of each candidate.</param>
/// <param name="ModelVersion">Encoder, feature layout and model that produced the rewards.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ScoreResult")]
public sealed record ScoreResult(
    [property: Id(0)] double[] Rewards,
    [property: Id(1)] IReadOnlyList<string> ItemIds,
    [property: Id(2)] string ModelVersion);

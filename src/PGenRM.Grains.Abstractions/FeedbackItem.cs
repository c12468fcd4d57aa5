namespace PGenRM.Grains.Abstractions;

/// <summary>One preference judgment from a user: for <paramref name="Query"/>, <paramref name="Chosen"/> ≻ <paramref name="Rejected"/>.</summary>
/// <param name="FeedbackId">Client-given idempotency key: the same id applied twice counts once.</param>
/// <param name="Query">The prompt both responses answer.</param>
/// <param name="Chosen">Text of the preferred response.</param>
/// <param name="Rejected">Text of the other response.</param>
/// <param name="ChosenItemId">Client item id of the chosen response; null = derived from the normalised text.</param>
/// <param name="RejectedItemId">Client item id of the rejected response; null = derived from the normalised text.</param>
/// <param name="Weight">Weight of the pair (1 for an explicit choice).</param>
/// <param name="At">When the user gave the feedback.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.FeedbackItem")]
public sealed record FeedbackItem(
    [property: Id(0)] string FeedbackId,
    [property: Id(1)] string Query,
    [property: Id(2)] string Chosen,
    [property: Id(3)] string Rejected,
    [property: Id(4)] string? ChosenItemId,
    [property: Id(5)] string? RejectedItemId,
    [property: Id(6)] double Weight,
    [property: Id(7)] DateTimeOffset At);

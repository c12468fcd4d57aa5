namespace PGenRM.Grains.Abstractions;

/// <summary>One feedback pair from the user's feedback log, with its texts.</summary>
/// <param name="FeedbackId">The client's feedback id.</param>
/// <param name="ChosenItemId">Item id of the chosen response.</param>
/// <param name="RejectedItemId">Item id of the rejected response.</param>
/// <param name="Weight">Weight of the pair.</param>
/// <param name="At">When the user gave the feedback.</param>
/// <param name="Query">The prompt (null in exports from before the feedback log).</param>
/// <param name="Chosen">The chosen response's text.</param>
/// <param name="Rejected">The rejected response's text.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ExportedFeedback")]
public sealed record ExportedFeedback(
    [property: Id(0)] string FeedbackId,
    [property: Id(1)] string ChosenItemId,
    [property: Id(2)] string RejectedItemId,
    [property: Id(3)] double Weight,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string? Query = null,
    [property: Id(6)] string? Chosen = null,
    [property: Id(7)] string? Rejected = null);

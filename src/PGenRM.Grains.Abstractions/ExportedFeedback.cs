namespace PGenRM.Grains.Abstractions;

/// <summary>One feedback pair a user grain keeps verbatim (texts are not stored, only their ids and vectors).</summary>
/// <param name="FeedbackId">The client's feedback id.</param>
/// <param name="ChosenItemId">Item id of the chosen response.</param>
/// <param name="RejectedItemId">Item id of the rejected response.</param>
/// <param name="Weight">Weight of the pair.</param>
/// <param name="At">When the user gave the feedback.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ExportedFeedback")]
public sealed record ExportedFeedback(
    [property: Id(0)] string FeedbackId,
    [property: Id(1)] string ChosenItemId,
    [property: Id(2)] string RejectedItemId,
    [property: Id(3)] double Weight,
    [property: Id(4)] DateTimeOffset At);

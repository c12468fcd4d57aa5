namespace PGenRM.Grains.Abstractions;

/// <summary>Acknowledges a feedback item. Returned only after the user's state is durably stored.</summary>
/// <param name="Status">Applied now, or a duplicate of an earlier id.</param>
/// <param name="FeedbackCount">Feedback items the user has applied in total, after this one.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.FeedbackReceipt")]
public sealed record FeedbackReceipt(
    [property: Id(0)] FeedbackStatus Status,
    [property: Id(1)] long FeedbackCount)
{
    /// <summary>Whether the id had been applied before.</summary>
    public bool WasDuplicate => Status == FeedbackStatus.Duplicate;
}

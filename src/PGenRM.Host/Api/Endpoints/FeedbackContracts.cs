namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// What became of one feedback item: <c>applied</c> or <c>duplicate</c> with the user's feedback count, or (in a batch
/// only) <c>failed</c> with the error; <see cref="User"/> only in a batch.
/// </summary>
internal sealed record FeedbackResult(string Id, string? User, string Status, long? FeedbackCount, FeedbackError? Error = null)
{
    /// <summary>The status of a batch item whose grain call failed (retry it by its id).</summary>
    public const string Failed = "failed";
}

/// <summary>Why a batch item failed: the status, title and detail its own request would have answered.</summary>
internal sealed record FeedbackError(int Status, string Title, string Detail);

/// <summary>POST feedback/batch: one result per item, in request order.</summary>
internal sealed record FeedbackBatchResponse(IReadOnlyList<FeedbackResult> Results);

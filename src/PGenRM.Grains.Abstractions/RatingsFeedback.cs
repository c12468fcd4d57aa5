namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One user's ratings of several responses to one query, turned into pairs (every higher-rated ≻ lower-rated; ties give
/// no pair), each weighted items/pairs so that a rating set counts as much evidence as its ratings, not its pairs.
/// The set is one feedback item: <see cref="FeedbackReceipt.FeedbackCount"/> grows by one, and its pairs get the ids
/// "{FeedbackId}:{chosen item}>{rejected item}".
/// </summary>
/// <param name="FeedbackId">Idempotency key of the whole set.</param>
/// <param name="Query">The prompt.</param>
/// <param name="Items">Rated responses (at least two).</param>
/// <param name="At">When the user rated them.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.RatingsFeedback")]
public sealed record RatingsFeedback(
    [property: Id(0)] string FeedbackId,
    [property: Id(1)] string Query,
    [property: Id(2)] IReadOnlyList<RatedResponse> Items,
    [property: Id(3)] DateTimeOffset At);

/// <summary>One rated response.</summary>
/// <param name="Text">The response.</param>
/// <param name="ItemId">Client item id, or null (derived from the text).</param>
/// <param name="Rating">The rating (any finite scale; only the order matters).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.RatedResponse")]
public sealed record RatedResponse(
    [property: Id(0)] string Text,
    [property: Id(1)] string? ItemId,
    [property: Id(2)] double Rating);

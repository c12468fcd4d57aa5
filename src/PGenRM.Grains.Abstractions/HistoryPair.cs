namespace PGenRM.Grains.Abstractions;

/// <summary>One past feedback pair of a user with its texts (for chains that quote the user's history).</summary>
[GenerateSerializer, Immutable, Alias("PGenRM.HistoryPair")]
public sealed record HistoryPair(
    [property: Id(0)] string FeedbackId,
    [property: Id(1)] string Query,
    [property: Id(2)] string Chosen,
    [property: Id(3)] string Rejected,
    [property: Id(4)] DateTimeOffset At);

using Orleans.Concurrency;

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One user's preference model. Key: <see cref="GrainKeys.User"/> ("{tenant}/{user}"). Feedback is acknowledged only
/// after its feedback-log row is durably stored; a repeated feedback id is a no-op (the log rejects it).
/// </summary>
[Alias("PGenRM.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Applies one feedback pair (idempotent by <see cref="FeedbackItem.FeedbackId"/>).</summary>
    [Alias("ApplyFeedbackAsync")]
    Task<FeedbackReceipt> ApplyFeedbackAsync(FeedbackItem item, CancellationToken cancellationToken = default);

    /// <summary>Applies a set of ratings as weighted pairs (idempotent by <see cref="RatingsFeedback.FeedbackId"/>).</summary>
    [Alias("ApplyRatingsAsync")]
    Task<FeedbackReceipt> ApplyRatingsAsync(RatingsFeedback ratings, CancellationToken cancellationToken = default);

    /// <summary>The individual level for one query (called by the scoring worker).</summary>
    [Alias("GetSchemesAsync")]
    Task<UserSchemes> GetSchemesAsync(SchemeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> of the user's most recent feedback pairs with texts, newest first.</summary>
    [Alias("GetHistoryPairsAsync"), ReadOnly]
    Task<IReadOnlyList<HistoryPair>> GetHistoryPairsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>The user's stated preference as written, or null (a pure read of the state; the judge's prompt quotes it).</summary>
    [Alias("GetStatedPreferenceAsync"), ReadOnly]
    Task<string?> GetStatedPreferenceAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets or replaces the user's stated preference ("I like short answers with code").</summary>
    [Alias("SetStatedPreferenceAsync")]
    Task<UserProfile> SetStatedPreferenceAsync(string statedPreference, CancellationToken cancellationToken = default);

    /// <summary>The user's profile.</summary>
    [Alias("GetProfileAsync")]
    Task<UserProfile> GetProfileAsync(CancellationToken cancellationToken = default);

    /// <summary>Everything stored about the user.</summary>
    [Alias("ExportAsync")]
    Task<UserExport> ExportAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the user's stored state and its prototype membership (and its entries in items' recent-judge lists); the grain starts from the prior afterwards.</summary>
    [Alias("DeleteAsync")]
    Task DeleteAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-sends everything the user contributes to derived statistics (its item judgments from its feedback log and its
    /// prototype membership) as after a reset; used by the rebuild. Idempotent against a reset store.
    /// </summary>
    [Alias("ReplayDerivedAsync")]
    Task ReplayDerivedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the prototype reports the user has sent so far are durable on their prototypes (they are sent in the
    /// background, after the feedback is acknowledged), and sends the update report that is due but was held back
    /// while the last one was unconfirmed. For tools and tests; no request path needs it.
    /// </summary>
    [Alias("FlushReportsAsync")]
    Task FlushReportsAsync(CancellationToken cancellationToken = default);
}

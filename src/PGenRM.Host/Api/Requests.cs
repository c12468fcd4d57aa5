namespace PGenRM.Host.Api;

/// <summary>POST /v1/tenants: the new tenant and optional settings.</summary>
internal sealed record CreateTenantRequest(string? Tenant, TenantSettingsRequest? Settings);

/// <summary>Settings overrides; each null keeps the shipped default.</summary>
internal sealed record TenantSettingsRequest(
    int? Prototypes, int? M, int? N, int? MaxCandidates, int? MaxTextLength, int? MaxBatch, double? RequestsPerSecond, int? ReclusterAfterMoves,
    int? MaxUsersPerRewardRequest = null,
    string? Evaluator = null, string? LlmEndpoint = null, string? LlmModel = null, int? LlmMaxM = null, int? LlmMaxN = null,
    int? LlmMaxConcurrency = null, bool? LlmFallback = null, int? LlmMaxOutputTokens = null);

/// <summary>
/// One feedback item: pairwise (query, chosen, rejected) or ratings (query, ratings). <see cref="User"/> only in a batch.
/// </summary>
internal sealed record FeedbackRequest(
    string? Id,
    string? Query,
    string? Chosen,
    string? Rejected,
    string? ChosenId,
    string? RejectedId,
    double? Weight,
    DateTimeOffset? At,
    IReadOnlyList<RatingRequest>? Ratings,
    string? User);

/// <summary>One rated response.</summary>
internal sealed record RatingRequest(string? Text, string? ItemId, double? Rating);

/// <summary>POST feedback/batch.</summary>
internal sealed record FeedbackBatchRequest(IReadOnlyList<FeedbackRequest>? Items);

/// <summary>PUT stated-preference.</summary>
internal sealed record StatedPreferenceRequest(string? Text);

/// <summary>POST score / compare.</summary>
internal sealed record ScoreHttpRequest(
    string? Query, IReadOnlyList<string>? Candidates, IReadOnlyList<string?>? CandidateIds, int? M, int? N, bool? Explain);

namespace PGenRM.Grains.Abstractions;

/// <summary>Everything a user grain stores about a user, for export requests.</summary>
/// <param name="Profile">The profile (counts, scheme).</param>
/// <param name="StatedPreference">The stated-preference text, or null.</param>
/// <param name="Feedback">Every pair in the user's feedback log, oldest first, with texts (a rating set gives its derived pairs).</param>
/// <param name="RecentFeedbackIds">Every feedback id in the user's log (each is rejected if sent again), oldest first.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.UserExport")]
public sealed record UserExport(
    [property: Id(0)] UserProfile Profile,
    [property: Id(1)] string? StatedPreference,
    [property: Id(2)] IReadOnlyList<ExportedFeedback> Feedback,
    [property: Id(3)] IReadOnlyList<string> RecentFeedbackIds);

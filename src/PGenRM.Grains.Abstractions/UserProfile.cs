namespace PGenRM.Grains.Abstractions;

/// <summary>A user's learning state as clients may see it.</summary>
/// <param name="UserKey">The grain key "{tenant}/{user}".</param>
/// <param name="FeedbackCount">Feedback items applied.</param>
/// <param name="HistoryCount">Pairs kept verbatim.</param>
/// <param name="FoldedCount">Pairs folded into sufficient statistics.</param>
/// <param name="HasStatedPreference">Whether a stated preference is set.</param>
/// <param name="IsColdStart">Whether the scheme is still the prior's.</param>
/// <param name="PriorScale">Prior strength chosen by evidence.</param>
/// <param name="Scheme">Posterior mean θ = [w; p; δ].</param>
/// <param name="Prototype">The user's prototype, or null before clustering.</param>
/// <param name="ModelVersion">Encoder, feature layout and model the scheme belongs to.</param>
/// <param name="CollaborativeScale">The tenant's prior scale the scheme's collaborative part (p, δ) was fitted at, or
/// null while the tenant has none (the user's own choice by evidence).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] string UserKey,
    [property: Id(1)] long FeedbackCount,
    [property: Id(2)] int HistoryCount,
    [property: Id(3)] int FoldedCount,
    [property: Id(4)] bool HasStatedPreference,
    [property: Id(5)] bool IsColdStart,
    [property: Id(6)] double PriorScale,
    [property: Id(7)] double[] Scheme,
    [property: Id(8)] int? Prototype,
    [property: Id(9)] string? ModelVersion,
    [property: Id(10)] double? CollaborativeScale = null);

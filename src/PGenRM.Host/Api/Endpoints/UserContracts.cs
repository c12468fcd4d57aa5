namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// A user's profile: counts, cold start, prototype, prior scale (and the tenant's collaborative scale the scheme was
/// fitted at, null while the tenant has none), versions, and per scenario the persona and rubric the evaluator would
/// write for this user.
/// </summary>
internal sealed record ProfileResponse(
    string User,
    long FeedbackCount,
    int HistoryCount,
    int FoldedCount,
    bool HasStatedPreference,
    bool ColdStart,
    int? Prototype,
    double PriorScale,
    double? CollaborativeScale,
    string ModelVersion,
    string CriteriaBankVersion,
    IReadOnlyList<ScenarioView> Scenarios);

/// <summary>One scenario of a profile: its id, name, the user's persona and weighted rubric in it.</summary>
internal sealed record ScenarioView(string Id, string Name, string Persona, IReadOnlyList<RubricView> Rubric);

/// <summary>One weighted criterion of a profile's rubric (weights in percent, summing to 100).</summary>
internal sealed record RubricView(string Criterion, string Name, int Weight, string Description);

namespace PGenRM.Grains.Abstractions;

/// <summary>Score candidate responses to one query for one user (pointwise).</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="User">User id within the tenant.</param>
/// <param name="Query">The prompt.</param>
/// <param name="Candidates">Candidate responses (at least one).</param>
/// <param name="CandidateIds">Optional client item ids, one per candidate (null entries = derived from the text).</param>
/// <param name="M">Individual-level schemes; null = the tenant's setting.</param>
/// <param name="N">Prototype-level neighbours; null = the tenant's setting.</param>
/// <param name="Explain">Whether to return the evaluation chain.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ScoreRequest")]
public sealed record ScoreRequest(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string User,
    [property: Id(2)] string Query,
    [property: Id(3)] IReadOnlyList<string> Candidates,
    [property: Id(4)] IReadOnlyList<string?>? CandidateIds = null,
    [property: Id(5)] int? M = null,
    [property: Id(6)] int? N = null,
    [property: Id(7)] bool Explain = false);

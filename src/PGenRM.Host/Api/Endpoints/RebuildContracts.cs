namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// A rebuild job's status: 202 to POST /v1/tenants/{tenant}/rebuild, 200 to GET /v1/tenants/{tenant}/rebuild/{job}.
/// </summary>
/// <param name="Job">The job id.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="State">"running", "succeeded" or "failed".</param>
/// <param name="Users">Users found in the feedback logs (0 until the scan is done).</param>
/// <param name="UsersReplayed">Users replayed so far.</param>
/// <param name="Items">Items found in the logs.</param>
/// <param name="Prototypes">Prototypes reset.</param>
/// <param name="Entries">Log entries read so far.</param>
/// <param name="StartedAt">When the job started.</param>
/// <param name="FinishedAt">When it ended; null while running.</param>
/// <param name="Seconds">Seconds from start to end (or to now while running).</param>
/// <param name="Error">Why it failed; null otherwise.</param>
internal sealed record RebuildJobResponse(
    string Job, string Tenant, string State, int Users, int UsersReplayed, int Items, int Prototypes, long Entries,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double Seconds, string? Error);

namespace PGenRM.Grains.Abstractions;

/// <summary>A tenant's rebuild job (<see cref="IRebuildGrain"/>) and its progress.</summary>
/// <param name="Id">The job id (the status route's last segment).</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="State">Running, succeeded or failed.</param>
/// <param name="Users">Users found in the logs (known once the scan is done; 0 before).</param>
/// <param name="UsersReplayed">Users replayed so far.</param>
/// <param name="Items">Items found in the logs.</param>
/// <param name="Prototypes">Prototypes reset (the directory's, at least prototype 0).</param>
/// <param name="Entries">Log entries read so far.</param>
/// <param name="StartedAt">When the job started.</param>
/// <param name="FinishedAt">When it succeeded or failed; null while running.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
[GenerateSerializer, Alias("PGenRM.RebuildJob")]
public sealed record RebuildJob(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] RebuildState State,
    [property: Id(3)] int Users,
    [property: Id(4)] int UsersReplayed,
    [property: Id(5)] int Items,
    [property: Id(6)] int Prototypes,
    [property: Id(7)] long Entries,
    [property: Id(8)] DateTimeOffset StartedAt,
    [property: Id(9)] DateTimeOffset? FinishedAt,
    [property: Id(10)] string? Error);

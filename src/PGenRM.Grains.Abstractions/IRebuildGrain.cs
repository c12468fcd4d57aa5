namespace PGenRM.Grains.Abstractions;

/// <summary>
/// A tenant's rebuild job (key "{tenant}"): replays the tenant's feedback logs into its item, prototype and population
/// statistics in the background, one job per tenant at a time. The job's status lives in the activation: it is kept
/// for <see cref="FinishedJobRetention"/> after the job ends, and lost with its silo (a job cut short by a crash is then
/// started again).
/// </summary>
[Alias("PGenRM.IRebuildGrain")]
public interface IRebuildGrain : IGrainWithStringKey
{
    /// <summary>How long a finished job's status can still be read.</summary>
    public static readonly TimeSpan FinishedJobRetention = TimeSpan.FromHours(1);

    /// <summary>
    /// Starts a job and returns its status at once (state running). Throws <see cref="RebuildRunningException"/> while
    /// one runs, <see cref="KeyNotFoundException"/> when the tenant does not exist.
    /// </summary>
    [Alias("StartAsync")]
    Task<RebuildJob> StartAsync(CancellationToken cancellationToken = default);

    /// <summary>The job <paramref name="job"/>'s status, or null when this grain holds no such job.</summary>
    [Alias("GetAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<RebuildJob?> GetAsync(string job, CancellationToken cancellationToken = default);
}

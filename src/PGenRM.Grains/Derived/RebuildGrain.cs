using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Derived;

/// <summary>
/// A tenant's rebuild job (<see cref="IRebuildGrain"/>): runs <see cref="TenantRebuild"/> on the thread pool, off any
/// caller's turn, so that the start answers at once and the status reads interleave with the job. One grain per tenant,
/// hence one job per tenant at a time, wherever the request arrived.
/// </summary>
[Reentrant]
public sealed partial class RebuildGrain(TenantRebuild rebuild, ILogger<RebuildGrain> logger) : Grain, IRebuildGrain
{
    private Job? _job;

    /// <inheritdoc />
    public async Task<RebuildJob> StartAsync(CancellationToken cancellationToken = default)
    {
        string tenant = this.GetPrimaryKeyString();
        if (_job is { Finished: null } running)
        {
            throw new RebuildRunningException(tenant, running.Id);
        }

        _ = await GrainFactory.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(cancellationToken)
            ?? throw new KeyNotFoundException($"Tenant '{tenant}' does not exist.");

        // Checked again: a second start may have interleaved at the await above.
        if (_job is { Finished: null } raced)
        {
            throw new RebuildRunningException(tenant, raced.Id);
        }

        var job = new Job(Guid.NewGuid().ToString("N")[..16], DateTimeOffset.UtcNow);
        _job = job;
        // A running job keeps its activation (its status lives here); idle collection resumes after the retention.
        DelayDeactivation(TimeSpan.FromDays(1));
        // Not cancelled with the caller's request: the job outlives the HTTP call that started it.
        job.Run = Task.Run(() => rebuild.RunAsync(tenant, job.Progress, CancellationToken.None));
        _ = FinishAsync(job);
        return job.Status(tenant);
    }

    /// <inheritdoc />
    public Task<RebuildJob?> GetAsync(string job, CancellationToken cancellationToken = default) =>
        Task.FromResult(_job is { } j && string.Equals(j.Id, job, StringComparison.Ordinal) ? j.Status(this.GetPrimaryKeyString()) : null);

    private async Task FinishAsync(Job job)
    {
        string tenant = this.GetPrimaryKeyString();
        try
        {
            await job.Run!;
        }
        catch (Exception e)
        {
            job.Error = e.Message;
            LogFailed(e, tenant, job.Id);
        }

        job.Finished = DateTimeOffset.UtcNow;
        DelayDeactivation(IRebuildGrain.FinishedJobRetention);
    }

    [LoggerMessage(EventId = 2611, Level = LogLevel.Warning, Message = "Rebuild job {Job} of tenant {Tenant} failed")]
    private partial void LogFailed(Exception exception, string tenant, string job);

    /// <summary>The activation's job: its counters, and when and how it ended.</summary>
    private sealed class Job(string id, DateTimeOffset started)
    {
        public string Id { get; } = id;

        public RebuildProgress Progress { get; } = new();

        public Task<RebuildResult>? Run { get; set; }

        public DateTimeOffset? Finished { get; set; }

        public string? Error { get; set; }

        public RebuildJob Status(string tenant)
        {
            var state = Finished is null ? RebuildState.Running : Error is null ? RebuildState.Succeeded : RebuildState.Failed;
            var p = Progress;
            return new RebuildJob(Id, tenant, state, p.Users, p.UsersReplayed, p.Items, p.Prototypes, p.Entries, started, Finished, Error);
        }
    }
}

using Microsoft.Extensions.Logging;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Log;

namespace PGenRM.Grains.Derived;

/// <summary>
/// Rebuilds a tenant's derived statistics (items, prototypes, the population scheme) from its feedback logs, the
/// repair after a crash lost judgments queued in a silo's pipeline or unwritten on an item: enumerate the tenant's users
/// and items from the log table, reset the items and the prototypes, replay every user
/// (<see cref="IUserGrain.ReplayDerivedAsync"/>, which flushes its silo's pipeline), then write the items.
/// </summary>
/// <remarks>
/// Meant for a tenant without traffic: feedback accepted while it runs is in the log and is replayed if its user is
/// replayed after it, but items may see it before their reset. Cost: one scan of the tenant's log rows, one call per
/// item and per user.
/// </remarks>
public sealed partial class TenantRebuild(IGrainFactory grains, FeedbackLog log, ILogger<TenantRebuild> logger)
{
    /// <summary>Users replayed at once.</summary>
    public const int Concurrency = 16;

    /// <summary>
    /// Awaited after the log scan, before anything is reset (tenant, cancellation). None is set in the service; tests
    /// use it to hold a job open (to see it running and refuse a second one) or to make it fail.
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeReset { get; set; }

    /// <summary>Rebuilds <paramref name="tenant"/>; returns what was replayed.</summary>
    public Task<RebuildResult> RunAsync(string tenant, CancellationToken cancellationToken = default) =>
        RunAsync(tenant, new RebuildProgress(), cancellationToken);

    /// <summary>Rebuilds <paramref name="tenant"/>, counting in <paramref name="progress"/> as it goes; returns what was replayed.</summary>
    public async Task<RebuildResult> RunAsync(string tenant, RebuildProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (!GrainKeys.IsValidTenant(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a valid tenant id.", nameof(tenant));
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var users = new HashSet<string>(StringComparer.Ordinal);
        var items = new HashSet<string>(StringComparer.Ordinal);
        long entries = 0;
        await foreach (var (userKey, entry) in log.ReadTenantAsync(tenant, cancellationToken))
        {
            users.Add(userKey);
            entries++;
            progress.EntryRead();
            foreach (var pair in entry.Pairs())
            {
                items.Add(pair.ChosenItemId);
                items.Add(pair.RejectedItemId);
            }
        }

        // Prototypes: every index of the current directory, and 0 (the population before the first re-clustering).
        var info = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(cancellationToken);
        int prototypes = Math.Max(1, info?.Directory.Centroids.Count ?? 0);
        progress.Scanned(users.Count, items.Count, prototypes);
        if (BeforeReset is { } hook)
        {
            await hook(tenant, cancellationToken);
        }

        await ForEachAsync(items, item => grains.GetGrain<IItemGrain>(GrainKeys.Item(tenant, item)).ResetAsync(cancellationToken), cancellationToken);
        await ForEachAsync(Enumerable.Range(0, prototypes), p => grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, p)).ResetAsync(cancellationToken), cancellationToken);
        await ForEachAsync(users, async user =>
        {
            await grains.GetGrain<IUserGrain>(user).ReplayDerivedAsync(cancellationToken);
            progress.UserReplayed();
        }, cancellationToken);

        // Each replay flushed its silo's pipeline, so the items hold every judgment now: store them.
        await ForEachAsync(items, item => grains.GetGrain<IItemGrain>(GrainKeys.Item(tenant, item)).WriteAsync(cancellationToken), cancellationToken);
        var result = new RebuildResult(tenant, users.Count, items.Count, prototypes, entries, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        LogRebuilt(tenant, result.Users, result.Items, result.Prototypes, result.Entries, result.Seconds);
        return result;
    }

    private static Task ForEachAsync<T>(IEnumerable<T> source, Func<T, Task> action, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(source, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (x, _) => await action(x));

    [LoggerMessage(EventId = 2610, Level = LogLevel.Information, Message = "Rebuilt tenant {Tenant} from its feedback logs: {Users} users, {Items} items, {Prototypes} prototypes, {Entries} log entries in {Seconds:F1} s")]
    private partial void LogRebuilt(string tenant, int users, int items, int prototypes, long entries, double seconds);
}

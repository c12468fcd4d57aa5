using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// A tenant (key "{tenant}"): settings, hashed API keys and the prototype directory. Callers read it through the
/// silo's <see cref="TenantCache"/>, so the grain is not on any request path. It re-clusters the tenant's users
/// (<see cref="ReclusterAsync"/>) on a timer while users keep joining or moving, and as soon as
/// <see cref="TenantSettings.ReclusterAfterMoves"/> moves were reported.
/// </summary>
/// <remarks>
/// The move count lives in memory only: it is a trigger, not data, and a count lost with the activation merely
/// leaves the next pass to the timer. The timer does not keep the grain alive; the next report re-activates it.
/// </remarks>
public sealed partial class TenantGrain(
    [PersistentState("tenant", "tenants")] IPersistentState<TenantState> state,
    EvaluatorHost evaluators,
    TenantCache cache,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    private IGrainTimer? _timer;
    private long _moves;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Created)
        {
            StartTimer();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TenantInfo> CreateAsync(TenantSettings settings, string apiKeyHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (apiKeyHash is null || !Sha256Hex().IsMatch(apiKeyHash))
        {
            throw new ArgumentException("apiKeyHash must be a SHA-256 hash in lower-case hex (64 characters).", nameof(apiKeyHash));
        }

        await CheckBankAsync(settings, cancellationToken);
        await WriteAsync(TenantWrites.CreateAsync(state, this.GetPrimaryKeyString(), settings, apiKeyHash, DateTimeOffset.UtcNow, cancellationToken));
        StartTimer();
        return Info();
    }

    /// <inheritdoc />
    public Task<TenantInfo?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!state.State.Created)
        {
            // Asked for a tenant that does not exist (a wrong or guessed key): leave no activation behind.
            DeactivateOnIdle();
            return Task.FromResult<TenantInfo?>(null);
        }

        return Task.FromResult<TenantInfo?>(Info());
    }

    /// <inheritdoc />
    public async Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        RequireCreated();
        await CheckBankAsync(settings, cancellationToken);
        await WriteAsync(TenantWrites.UpdateSettingsAsync(state, this.GetPrimaryKeyString(), settings, cancellationToken));
        cache.Invalidate(this.GetPrimaryKeyString());
        StartTimer();
        return Info();
    }

    /// <inheritdoc />
    public Task<PrototypeDirectory> GetDirectoryAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult(Directory());
    }

    /// <inheritdoc />
    /// <remarks>
    /// A tenant that was never created has no directory to change (grain-level users of such a tenant sit on the
    /// version-0 directory), so its reports are ignored. The report that reaches the threshold runs the pass before it
    /// returns: that caller (a user grain whose feedback is already stored) waits once per ReclusterAfterMoves moves.
    /// </remarks>
    public async Task ReportMoveAsync(int? from, int to, CancellationToken cancellationToken = default)
    {
        if (from is < 0 || to < 0)
        {
            throw new ArgumentException($"Prototype indices must not be negative (from {from?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, to {to}).", nameof(to));
        }

        if (!state.State.Created)
        {
            return;
        }

        if (++_moves >= state.State.Settings.ReclusterAfterMoves)
        {
            await RunPassAsync("moves", cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<PrototypeDirectory> ReclusterAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        await RunPassAsync("request", cancellationToken);
        return Directory();
    }

    /// <summary>
    /// Reads every prototype's reservoir (and, for non-empty ones, its member count), clusters the samples and stores
    /// the new centroids with version + 1. Users pick the new directory up through <see cref="TenantCache"/> and move
    /// themselves on their next update; nobody is stopped for the pass.
    /// </summary>
    private async Task RunPassAsync(string trigger, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var s = state.State;
        string tenant = this.GetPrimaryKeyString();
        int slots = Math.Max(1, Math.Max(s.PrototypeSlots, s.Centroids.Count));
        var prototypes = Enumerable.Range(0, slots).Select(i => GrainFactory.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, i))).ToList();
        var reservoirs = await Task.WhenAll(prototypes.Select(p => p.GetReservoirAsync(cancellationToken)));

        // Only non-empty prototypes are asked for their count: an empty one would look up this grain's directory.
        var samples = await Task.WhenAll(prototypes.Select(async (p, i) =>
            (Members: reservoirs[i].Members.Count == 0 ? 0L : (await p.GetSummaryAsync(cancellationToken)).Members, Reservoir: reservoirs[i].Members)));
        _moves = 0;
        var directory = PrototypeClustering.Run(samples, s.Centroids, s.Settings.Prototypes, s.CentroidVersion + 1, PrototypeClustering.Seed(tenant, s.CentroidVersion + 1));
        if (directory is null)
        {
            LogPassSkipped(tenant, trigger);
            return;
        }

        bool stored = await WriteAsync(TenantWrites.StoreDirectoryAsync(state, directory, slots, DateTimeOffset.UtcNow, cancellationToken));
        cache.Invalidate(tenant);
        if (!stored)
        {
            LogPassSuperseded(tenant, trigger, directory.Version, state.State.CentroidVersion);
            return;
        }

        LogPass(tenant, trigger, directory.Version, directory.Centroids.Count, samples.Sum(x => x.Reservoir.Count), clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Awaits one of <see cref="TenantWrites"/>' writes; on failure drops the activation (its memory may be ahead of storage).</summary>
    private async Task WriteAsync(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <inheritdoc cref="WriteAsync(Task)"/>
    private async Task<T> WriteAsync<T>(Task<T> write)
    {
        try
        {
            return await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private void StartTimer()
    {
        var period = state.State.Settings.EffectiveReclusterPeriod;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(
            static async (self, ct) =>
            {
                // Only while users keep joining or moving; an idle tenant's centroids do not need refreshing.
                if (self._moves == 0)
                {
                    return;
                }

                try
                {
                    await self.RunPassAsync("timer", ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    self.LogPassFailed(e, self.GetPrimaryKeyString());
                }
            },
            this,
            new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = false, KeepAlive = false });
    }

    private async Task CheckBankAsync(TenantSettings settings, CancellationToken cancellationToken)
    {
        // A tenant pinned to another criteria bank would be scored in a feature space it was not configured for.
        var evaluator = await evaluators.GetAsync(cancellationToken);
        string bank = evaluator.Features.Bank.Version;
        if (!string.Equals(settings.CriteriaBankVersion, bank, StringComparison.Ordinal))
        {
            throw new ArgumentException($"CriteriaBankVersion '{settings.CriteriaBankVersion}' is not served here; this silo runs '{bank}'.", nameof(settings));
        }
    }

    private void RequireCreated()
    {
        if (!state.State.Created)
        {
            throw new KeyNotFoundException($"Tenant '{this.GetPrimaryKeyString()}' does not exist.");
        }
    }

    private PrototypeDirectory Directory()
    {
        var s = state.State;
        return new PrototypeDirectory(s.CentroidVersion, s.Centroids.ToList(), s.Counts.ToList());
    }

    private TenantInfo Info()
    {
        var s = state.State;
        return new TenantInfo(this.GetPrimaryKeyString(), s.Settings, s.ApiKeyHashes.ToList(), s.CreatedAt, Directory());
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Tenant {Tenant} re-clustered ({Trigger}): version {Version}, {Prototypes} prototypes from {Samples} samples in {ElapsedMs:F1} ms")]
    private partial void LogPass(string tenant, string trigger, long version, int prototypes, int samples, double elapsedMs);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Tenant {Tenant}: re-clustering ({Trigger}) skipped, no member has a scheme yet")]
    private partial void LogPassSkipped(string tenant, string trigger);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Tenant {Tenant}: timed re-clustering failed; the next tick retries")]
    private partial void LogPassFailed(Exception exception, string tenant);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Tenant {Tenant}: re-clustering ({Trigger}) to version {Version} not stored, another pass stored version {Stored} first")]
    private partial void LogPassSuperseded(string tenant, string trigger, long version, long stored);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

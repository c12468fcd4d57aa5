using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// A tenant (key "{tenant}"): settings, hashed API keys and the prototype directory. Callers read it through the
/// silo's <see cref="TenantCache"/>, and no user grain calls it, so it is on no request path. Re-clustering is a
/// background job of this grain over the prototypes' bounded reservoirs: requested (one-way) by a prototype that saw
/// <see cref="TenantSettings.ReclusterAfterMoves"/> members join or leave, or by the timer when the prototypes' churn
/// counters moved since the last pass; it publishes a new directory version that users pick up on their next call.
/// </summary>
/// <remarks>
/// Reentrant, so that a pass (awaiting reservoirs, clustering on the thread pool) never holds the grain: reads and
/// settings go on meanwhile. The state's writes are serialized by a lock instead. At most one pass runs at a time.
/// </remarks>
[Reentrant]
public sealed partial class TenantGrain(
    [PersistentState("tenant", "tenants")] IPersistentState<TenantState> state,
    SiloEvaluator evaluators,
    TenantCache cache,
    ReclusterHooks hooks,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private IGrainTimer? _timer;
    private IGrainTimer? _absent;
    private Task<bool>? _pass;

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
        await WriteAsync(() => TenantWrites.CreateAsync(state, this.GetPrimaryKeyString(), settings, apiKeyHash, DateTimeOffset.UtcNow, cancellationToken));
        StartTimer();
        return Info();
    }

    /// <inheritdoc />
    public Task<TenantInfo?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!state.State.Created)
        {
            // Asked for a tenant that does not exist (a wrong or guessed key): leave no activation behind, but not at
            // once. Deactivating here made the calls that raced this one (many first calls of a new tenant, or its
            // creation) be forwarded to a new activation that deactivated in turn, until Orleans rejected them.
            ScheduleAbsentDeactivation();
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
        await WriteAsync(() => TenantWrites.UpdateSettingsAsync(state, this.GetPrimaryKeyString(), settings, cancellationToken));
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
    /// <remarks>A tenant that was never created has no directory to change (its users sit on the version-0 directory).</remarks>
    public Task RequestReclusterAsync(string trigger)
    {
        if (state.State.Created)
        {
            StartPass(trigger ?? "request");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<PrototypeDirectory> ReclusterAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();

        // A pass already running read the reservoirs earlier: let it finish, then run one over what is there now.
        if (_pass is Task<bool> running)
        {
            await running;
        }

        await StartPass("request");
        return Directory();
    }

    /// <summary>Starts a background pass unless one is running (then that one is returned).</summary>
    private Task<bool> StartPass(string trigger) => _pass ??= RunPassAsync(trigger);

    /// <summary>
    /// Reads every prototype's reservoir and summary, clusters the samples on the thread pool and stores the new
    /// centroids with version + 1. Users pick the new directory up through <see cref="TenantCache"/> and move themselves
    /// on their next update; nobody waits for the pass. True when a new directory was stored.
    /// </summary>
    private async Task<bool> RunPassAsync(string trigger)
    {
        // Off the caller's turn: the caller's message completes before the pass reads anything.
        await Task.Yield();
        string tenant = this.GetPrimaryKeyString();
        try
        {
            var clock = Stopwatch.StartNew();
            var s = state.State;
            long version = s.CentroidVersion + 1;
            var previous = s.Centroids.ToList();
            int k = s.Settings.Prototypes;
            int slots = Math.Max(1, Math.Max(s.PrototypeSlots, s.Centroids.Count));
            var prototypes = Enumerable.Range(0, slots).Select(i => GrainFactory.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, i))).ToList();
            var reservoirsTask = Task.WhenAll(prototypes.Select(p => p.GetReservoirAsync()));
            var summariesTask = Task.WhenAll(prototypes.Select(p => p.GetSummaryAsync()));
            await Task.WhenAll(reservoirsTask, summariesTask);
            var (reservoirs, summaries) = (await reservoirsTask, await summariesTask);
            var samples = summaries.Select((x, i) => (Members: x.Members, Reservoir: reservoirs[i].Members)).ToList();
            long churn = summaries.Sum(x => x.Joins + x.Leaves);
            if (hooks.BeforeClustering is { } gate)
            {
                await gate(tenant, CancellationToken.None);
            }

            var directory = await Task.Run(() => PrototypeClustering.Run(samples, previous, k, version, PrototypeClustering.Seed(tenant, version), evaluators.Model.PriorScaleGrid));
            if (directory is null)
            {
                LogPassSkipped(tenant, trigger);
                return false;
            }

            bool stored = await WriteAsync(() => TenantWrites.StoreDirectoryAsync(state, directory, slots, DateTimeOffset.UtcNow, churn, CancellationToken.None));
            cache.Invalidate(tenant);
            if (!stored)
            {
                LogPassSuperseded(tenant, trigger, directory.Version, state.State.CentroidVersion);
                return false;
            }

            LogPass(tenant, trigger, directory.Version, directory.Centroids.Count, samples.Sum(x => x.Reservoir.Count), clock.Elapsed.TotalMilliseconds, directory.Kappa);
            hooks.Published?.Invoke(tenant, directory.Version, trigger);
            return true;
        }
        catch (Exception e) when (trigger != "request")
        {
            // A background pass has nobody to report to; the next trigger or tick retries.
            LogPassFailed(e, tenant, trigger);
            return false;
        }
        finally
        {
            _pass = null;
        }
    }

    /// <summary>
    /// Runs one of <see cref="TenantWrites"/>' writes, one at a time (the grain is reentrant); on failure drops the
    /// activation (its memory may be ahead of storage).
    /// </summary>
    private async Task WriteAsync(Func<Task> write) => await WriteAsync(async () =>
    {
        await write();
        return true;
    });

    /// <inheritdoc cref="WriteAsync(Func{Task})"/>
    private async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        await _writes.WaitAsync();
        try
        {
            return await write();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>How long an activation of a tenant that does not exist stays to answer further calls.</summary>
    internal static readonly TimeSpan AbsentTenantLifetime = TimeSpan.FromSeconds(30);

    private void ScheduleAbsentDeactivation()
    {
        if (_absent is not null)
        {
            return;
        }

        // One-shot, without keeping the activation alive: calls arriving meanwhile are answered here; one arriving while
        // it deactivates is forwarded once, to an activation that stays for the same time.
        _absent = this.RegisterGrainTimer(
            static (self, _) =>
            {
                if (!self.Created)
                {
                    self.DeactivateOnIdle();
                }

                return Task.CompletedTask;
            },
            this,
            new GrainTimerCreationOptions { DueTime = AbsentTenantLifetime, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = false });
    }

    private void StartTimer()
    {
        var period = state.State.Settings.EffectiveReclusterPeriod;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(
            static async (self, ct) =>
            {
                try
                {
                    // Only when members joined or left since the last pass; an idle tenant's centroids need no refresh.
                    if (self._pass is null && await self.ChurnAsync(ct) != self.ChurnAtLastPass)
                    {
                        _ = self.StartPass("timer");
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    self.LogPassFailed(e, self.GetPrimaryKeyString(), "timer");
                }
            },
            this,
            new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = true, KeepAlive = false });
    }

    private long ChurnAtLastPass => state.State.ChurnAtLastPass;

    private bool Created => state.State.Created;

    /// <summary>Joins + leaves counted by the tenant's prototypes (their summaries).</summary>
    private async Task<long> ChurnAsync(CancellationToken cancellationToken)
    {
        string tenant = this.GetPrimaryKeyString();
        int slots = Math.Max(1, Math.Max(state.State.PrototypeSlots, state.State.Centroids.Count));
        var summaries = await Task.WhenAll(Enumerable.Range(0, slots).Select(i =>
            GrainFactory.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(tenant, i)).GetSummaryAsync(cancellationToken)));
        return summaries.Sum(x => x.Joins + x.Leaves);
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
        return new PrototypeDirectory(s.CentroidVersion, s.Centroids.ToList(), s.Counts.ToList(), s.PrototypeSlots, s.CollaborativeScale, s.Priors?.ToList(), s.Kappa);
    }

    private TenantInfo Info()
    {
        var s = state.State;
        return new TenantInfo(this.GetPrimaryKeyString(), s.Settings, s.ApiKeyHashes.ToList(), s.CreatedAt, Directory());
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Tenant {Tenant} re-clustered ({Trigger}): version {Version}, {Prototypes} prototypes from {Samples} samples in {ElapsedMs:F1} ms, priors shrunk with κ = {Kappa:G3}")]
    private partial void LogPass(string tenant, string trigger, long version, int prototypes, int samples, double elapsedMs, double kappa);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Tenant {Tenant}: re-clustering ({Trigger}) skipped, no member has a scheme yet")]
    private partial void LogPassSkipped(string tenant, string trigger);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Tenant {Tenant}: re-clustering ({Trigger}) failed; the next trigger or tick retries")]
    private partial void LogPassFailed(Exception exception, string tenant, string trigger);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Tenant {Tenant}: re-clustering ({Trigger}) to version {Version} not stored, another pass stored version {Stored} first")]
    private partial void LogPassSuperseded(string tenant, string trigger, long version, long stored);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

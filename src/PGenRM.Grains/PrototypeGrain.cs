using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// One prototype of a tenant (key "{tenant}/{index}"): <see cref="PrototypeMembers"/>' count, running sums, churn
/// counters and bounded reservoir, stored in a fixed-size layout. No member list: users send the change of their
/// contribution (<see cref="MembershipReport"/>), in the background after their feedback is acknowledged.
/// </summary>
/// <remarks>
/// Reentrant with group commit: a report is applied in memory at once and its call completes when a write that
/// includes it is durable; reports arriving while a write runs, or within <see cref="Derived.DerivedStatsOptions.PrototypeWriteSpacing"/>
/// of the end of the last write, go out together with the next one, so a busy prototype writes at most once per spacing
/// (one write in flight) instead of once per report. When enough members joined or left it asks
/// the tenant for a re-clustering pass with a one-way call, and never waits for the pass.
/// </remarks>
[Reentrant]
public sealed partial class PrototypeGrain(
    [PersistentState("prototype", "prototypes")] IPersistentState<PrototypeState> state,
    SiloEvaluator evaluators,
    TenantCache tenants,
    Derived.DerivedStatsMetrics metrics,
    Derived.DerivedStatsOptions options,
    ILogger<PrototypeGrain> logger) : Grain, IPrototypeGrain
{
    /// <summary>Reservoir capacity: the sample neighbour search and re-clustering see.</summary>
    public const int ReservoirCapacity = PrototypeMembers.ReservoirCapacity;

    /// <summary>A volume trigger: this many reports × the tenant's move threshold since the last request also ask for a pass.</summary>
    public const int VolumeFactor = 16;

    private readonly List<MembershipReport> _unwritten = [];
    private PrototypeMembers _members = null!;
    private InvalidDataException? _refused;
    private string _key = "";
    private string _tenant = "";
    private int _index;
    private int _dimension;
    private long _applied;
    private long _durable;
    private bool _resetPending;
    private Task? _writing;
    private long? _lastWriteEnded;
    private int? _threshold;
    private long _churn;
    private long _volume;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        (_tenant, _index) = GrainKeys.ParsePrototype(_key);
        var evaluator = await evaluators.GetAsync(cancellationToken);
        _dimension = evaluator.SchemeDimension;
        try
        {
            _members = PrototypeMembers.Load(state.State, state.RecordExists, _key, _dimension);
        }
        catch (InvalidDataException e)
        {
            // Refused, never read as empty: every call but ResetAsync fails with this until the prototype is reset.
            _refused = e;
            _members = new PrototypeMembers(_key, _dimension);
            LogRefused(e, _key);
        }

        // Read once per activation, through the silo cache: the threshold of the re-clustering request (null: no tenant).
        _threshold = (await tenants.GetAsync(_tenant, cancellationToken))?.Settings.ReclusterAfterMoves;
    }

    /// <inheritdoc />
    public async Task<bool> ApplyAsync(MembershipReport report, CancellationToken cancellationToken = default)
    {
        Usable();
        if (_members.Validate(report, _tenant) is string error)
        {
            throw new ArgumentException($"Report to prototype {_key}: {error}", nameof(report));
        }

        bool applied = _members.Apply(report);
        if (applied)
        {
            _unwritten.Add(report);
            _applied++;
            CountChurn(report);
        }

        // A duplicate waits too: the report it repeats may not be durable yet.
        await DurableAsync(_applied);
        return applied;
    }

    /// <inheritdoc />
    public Task<PrototypeSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        Usable();
        return Task.FromResult(_members.Summary(_index));
    }

    /// <inheritdoc />
    public Task<PrototypeReservoir> GetReservoirAsync(CancellationToken cancellationToken = default)
    {
        Usable();
        return Task.FromResult(new PrototypeReservoir(_members.Version, _members.Reservoir()));
    }

    /// <inheritdoc />
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        _members = new PrototypeMembers(_key, _dimension);
        _unwritten.Clear();
        _refused = null;
        _resetPending = true;
        _applied++;
        await DurableAsync(_applied);
        LogReset(_key);
    }

    /// <summary>
    /// Completes once everything applied up to generation <paramref name="generation"/> is stored: each write releases
    /// the callers it covers, and a caller whose report came after a write's snapshot takes the next one. (Waiting for a
    /// loop that writes until nothing is unwritten would starve every caller while reports keep arriving: 100,000 users
    /// joining one prototype kept its callers waiting past Orleans' 30 s response timeout.)
    /// </summary>
    private async Task DurableAsync(long generation)
    {
        while (_durable < generation)
        {
            // A completed task left behind by a write that finished before it was assigned is not waited on again.
            if (_writing is not { IsCompleted: false })
            {
                _writing = WriteOnceAsync();
            }

            await _writing;
        }
    }

    /// <summary>One write of everything applied so far; reports that arrive during the spacing wait ride it.</summary>
    private async Task WriteOnceAsync()
    {
        try
        {
            // Reports that arrive during the wait ride this write (the reentrant grain applies them meanwhile).
            if (_lastWriteEnded is long last && options.PrototypeWriteSpacing - Stopwatch.GetElapsedTime(last) is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }

            long target = _applied;
            int batch = _unwritten.Count;
            bool reset = _resetPending;
            state.State = new PrototypeState { Format = PrototypeMembers.Format, Packed = _members.Pack() };
            await state.WriteStateWithRetryAsync(Reapply);
            _lastWriteEnded = Stopwatch.GetTimestamp();
            _unwritten.RemoveRange(0, Math.Min(batch, _unwritten.Count));
            metrics.PrototypeCommit.Record(batch);
            _durable = target;
            _resetPending &= !reset;
        }
        catch
        {
            // Memory is ahead of storage: reload on the next call (the users' reports are retried, by id).
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _writing = null;
        }
    }

    /// <summary>After an ETag conflict: the fresh state plus the reports not yet stored (those it already holds are skipped by id).</summary>
    private bool Reapply(PrototypeState fresh)
    {
        _members = _resetPending ? new PrototypeMembers(_key, _dimension) : PrototypeMembers.Load(fresh, true, _key, _dimension);
        foreach (var report in _unwritten)
        {
            _members.Apply(report);
        }

        fresh.Format = PrototypeMembers.Format;
        fresh.Packed = _members.Pack();
        return true;
    }

    /// <summary>Asks the tenant for a pass (one-way) when enough members joined or left, or enough reports arrived.</summary>
    private void CountChurn(MembershipReport report)
    {
        if (_threshold is not int threshold)
        {
            return;
        }

        _churn += Math.Abs(report.CountDelta);
        _volume++;
        string? trigger = _churn >= threshold ? "moves" : _volume >= (long)threshold * VolumeFactor ? "volume" : null;
        if (trigger is not null)
        {
            (_churn, _volume) = (0, 0);
            _ = GrainFactory.GetGrain<ITenantGrain>(GrainKeys.Tenant(_tenant)).RequestReclusterAsync(trigger);
        }
    }

    private void Usable()
    {
        if (_refused is not null)
        {
            throw new InvalidDataException(_refused.Message, _refused);
        }
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "Prototype {PrototypeKey} refused its stored state; reset and rebuild it")]
    private partial void LogRefused(Exception exception, string prototypeKey);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "Prototype {PrototypeKey} reset")]
    private partial void LogReset(string prototypeKey);
}

using System.Collections.Concurrent;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// An incoming grain call filter (one per silo) that holds <see cref="IItemGrain.ApplyJudgmentsAsync"/> calls to the
/// items of a held tenant until it is released: a deliberately slow item grain, for the tests that show the
/// acknowledgment does not wait for items. Tenants not held pass straight through.
/// </summary>
public sealed class ItemApplyGate : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    /// <summary>Calls to apply judgments on the items of <paramref name="tenant"/> wait from now on.</summary>
    public void Hold(string tenant) => _held.TryAdd(tenant, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Lets the held calls of <paramref name="tenant"/> (and later ones) through.</summary>
    public void Release(string tenant)
    {
        if (_held.TryRemove(tenant, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ItemGrain && context.MethodName == nameof(IItemGrain.ApplyJudgmentsAsync)
            && _held.TryGetValue(GrainKeys.Parse(context.TargetId.Key.ToString()!).Tenant, out var gate))
        {
            await gate.Task;
        }

        await context.Invoke();
    }
}

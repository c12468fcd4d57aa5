using System.Collections.Concurrent;

namespace PGenRM.Grains.Tests;

/// <summary>An incoming grain call filter (one per silo) recording every call that reaches a tenant grain.</summary>
public sealed class TenantCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentQueue<(string Tenant, string Call)> _calls = new();

    /// <summary>The calls that reached the tenant grain of <paramref name="tenantKey"/>, as "Interface.Method from source".</summary>
    public IReadOnlyList<string> CallsTo(string tenantKey) =>
        [.. _calls.Where(c => string.Equals(c.Tenant, tenantKey, StringComparison.Ordinal)).Select(c => c.Call)];

    /// <summary>Forgets the recorded calls.</summary>
    public void Clear() => _calls.Clear();

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is TenantGrain)
        {
            _calls.Enqueue((context.TargetId.Key.ToString()!, $"{context.InterfaceName}.{context.MethodName} from {context.SourceId}"));
        }

        return context.Invoke();
    }
}

using System.Collections.Concurrent;

namespace PGenRM.Scale;

/// <summary>
/// `--count-calls`: counts the grain calls the silo receives, by interface and method (an incoming grain call filter,
/// so calls from the co-hosted client, from grains and one-way calls all count; timer callbacks are not calls), so the
/// bench reports grain calls per feedback as measured.
/// </summary>
internal sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>A copy of the counts now.</summary>
    public Dictionary<string, long> Snapshot() => new(_counts, StringComparer.Ordinal);

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        _counts.AddOrUpdate($"{context.InterfaceName}.{context.MethodName}", 1, static (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>Calls per method between two snapshots, divided by <paramref name="per"/>, largest first (methods with none left out).</summary>
    public static SortedDictionary<string, double> Between(Dictionary<string, long> before, Dictionary<string, long> after, double per)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (method, count) in after)
        {
            long n = count - before.GetValueOrDefault(method);
            if (n > 0)
            {
                result[method] = Math.Round(n / per, 4);
            }
        }

        return result;
    }
}

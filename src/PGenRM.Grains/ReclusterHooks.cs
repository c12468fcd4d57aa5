namespace PGenRM.Grains;

/// <summary>
/// Optional silo-wide hooks around a tenant's re-clustering pass (a silo service; none are set in the service). Tests use
/// them to hold a pass open (to show that feedback does not wait for it) and to learn when a background pass published.
/// </summary>
public sealed class ReclusterHooks
{
    /// <summary>Awaited by a pass after it read the reservoirs and before it clusters them (tenant, cancellation).</summary>
    public Func<string, CancellationToken, Task>? BeforeClustering { get; set; }

    /// <summary>Called after a pass stored a new directory (tenant, version, trigger).</summary>
    public Action<string, long, string>? Published { get; set; }
}

namespace PGenRM.Grains.Derived;

/// <summary>What <see cref="TenantRebuild"/> replayed.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Users">Users replayed (those with at least one log row).</param>
/// <param name="Items">Items reset and rebuilt.</param>
/// <param name="Prototypes">Prototypes reset (the directory's, at least prototype 0).</param>
/// <param name="Entries">Log entries read.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record RebuildResult(string Tenant, int Users, int Items, int Prototypes, long Entries, double Seconds);

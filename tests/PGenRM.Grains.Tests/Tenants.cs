using System.Security.Cryptography;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>Creates fresh tenants for tests.</summary>
internal static class Tenants
{
    /// <summary>Creates a tenant with a random id and the given settings; returns its id.</summary>
    public static async Task<string> CreateAsync(IGrainFactory grains, TenantSettings settings, CancellationToken cancellationToken)
    {
        string tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        string hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("key-" + tenant))).ToLowerInvariant();
        await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).CreateAsync(settings, hash, cancellationToken);
        return tenant;
    }

    /// <summary>
    /// A new tenant id whose next item write-behind tick (<see cref="ItemGrain.UntilNextTick"/>) is at least 4 s away, so
    /// a test can look at (or change) rows between applying judgments and writing them without racing the timer.
    /// </summary>
    public static string FarFromItemTick(string prefix)
    {
        while (true)
        {
            string tenant = prefix + Guid.NewGuid().ToString("N")[..8];
            if (ItemGrain.UntilNextTick(tenant, DateTimeOffset.UtcNow) >= TimeSpan.FromSeconds(4))
            {
                return tenant;
            }
        }
    }
}

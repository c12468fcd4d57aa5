namespace PGenRM.Grains.Abstractions;

/// <summary>Thrown by <see cref="IRebuildGrain.StartAsync"/> while the tenant's rebuild job runs (the API answers 409).</summary>
[GenerateSerializer, Alias("PGenRM.RebuildRunningException")]
public sealed class RebuildRunningException : InvalidOperationException
{
    /// <summary>Creates the exception for the running <paramref name="job"/> of <paramref name="tenant"/>.</summary>
    public RebuildRunningException(string tenant, string job)
        : base($"A rebuild of tenant '{tenant}' is running (job '{job}'); wait for it to finish.")
    {
        Tenant = tenant;
        Job = job;
    }

    /// <summary>The tenant id.</summary>
    [Id(0)] public string Tenant { get; }

    /// <summary>The running job's id.</summary>
    [Id(1)] public string Job { get; }
}

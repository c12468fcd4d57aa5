namespace PGenRM.Grains.Abstractions;

/// <summary>Thrown by <see cref="ITenantGrain.CreateAsync"/> when the tenant exists already (the API answers 409).</summary>
[GenerateSerializer, Alias("PGenRM.TenantExistsException")]
public sealed class TenantExistsException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="tenant"/>.</summary>
    public TenantExistsException(string tenant)
        : base($"Tenant '{tenant}' already exists.")
    {
        Tenant = tenant;
    }

    /// <summary>The tenant id.</summary>
    [Id(0)] public string Tenant { get; }
}

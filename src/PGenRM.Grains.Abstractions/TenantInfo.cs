namespace PGenRM.Grains.Abstractions;

/// <summary>A tenant as the API sees it. Readers cache it (settings and key hashes change rarely).</summary>
/// <param name="Tenant">Tenant id.</param>
/// <param name="Settings">Current settings.</param>
/// <param name="ApiKeyHashes">SHA-256 hashes (lower-case hex) of the tenant's API keys; the keys themselves are never stored.</param>
/// <param name="CreatedAt">When the tenant was created.</param>
/// <param name="Directory">Prototypes and centroid version.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string Tenant,
    [property: Id(1)] TenantSettings Settings,
    [property: Id(2)] IReadOnlyList<string> ApiKeyHashes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] PrototypeDirectory Directory);

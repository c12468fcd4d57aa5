using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>201 to POST /v1/tenants: the tenant, its API key (shown only here), settings and creation time.</summary>
internal sealed record CreateTenantResponse(string Tenant, string ApiKey, TenantSettings Settings, DateTimeOffset CreatedAt);

/// <summary>GET /v1/tenants/{tenant}: settings, creation time, number of prototypes and the centroids' version.</summary>
internal sealed record TenantResponse(string Tenant, TenantSettings Settings, DateTimeOffset CreatedAt, int Prototypes, long CentroidVersion);

/// <summary>PATCH /v1/tenants/{tenant}/settings: the tenant and its settings after the change.</summary>
internal sealed record TenantSettingsResponse(string Tenant, TenantSettings Settings);

using Microsoft.Extensions.Primitives;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api;

/// <summary>
/// Checks the key of endpoints marked with <see cref="EndpointAccess"/>: "Authorization: Bearer KEY" or "X-Api-Key: KEY".
/// A tenant key is looked up through the silo's <see cref="TenantCache"/> (so the tenant grain is no hot spot) and the
/// tenant is kept in <see cref="HttpContext.Items"/> for the handlers and the rate limiter. No key or a wrong key: 401;
/// a key for another tenant than the route's: 403. An address with too many failed authentications gets 429 before any
/// lookup (<see cref="AuthFailureLimiter"/>).
/// </summary>
internal sealed class ApiKeyAuthentication(RequestDelegate next, TenantCache tenants, AdminKey admin, AuthFailureLimiter failures)
{
    private const string TenantItem = "pgenrm.tenant";

    /// <summary>The authenticated tenant of the request.</summary>
    public static TenantInfo Tenant(HttpContext context) =>
        context.Items[TenantItem] as TenantInfo ?? throw new InvalidOperationException("The endpoint is not marked as a tenant endpoint.");

    /// <summary>The authenticated tenant, or null (for the rate limiter).</summary>
    public static TenantInfo? TryTenant(HttpContext context) => context.Items[TenantItem] as TenantInfo;

    /// <summary>Authenticates, then runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var access = context.GetEndpoint()?.Metadata.GetMetadata<EndpointAccess>();
        if (access is null)
        {
            await next(context);
            return;
        }

        failures.ThrowIfBlocked(context);
        string? key = KeyOf(context, access.AllowQueryKey);
        if (key is null)
        {
            failures.Failed(context);
            throw new ApiException(401, "Unauthorized", "An API key is required: send 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
        }

        if (access.Kind == AccessKind.Admin)
        {
            if (!admin.Matches(key))
            {
                failures.Failed(context);
                throw new ApiException(401, "Unauthorized", "The admin key is not valid.");
            }

            await next(context);
            return;
        }

        string? tenant = ApiKeys.TenantOf(key);
        var info = tenant is not null && GrainKeys.IsValidTenant(tenant) ? await tenants.GetAsync(tenant, context.RequestAborted, cacheMissing: false) : null;
        if (info is null || !ApiKeys.Matches(key, info.ApiKeyHashes))
        {
            failures.Failed(context);
            throw new ApiException(401, "Unauthorized", "The API key is not valid.");
        }

        if (context.GetRouteValue("tenant") is string routeTenant && !string.Equals(routeTenant, info.Tenant, StringComparison.Ordinal))
        {
            throw new ApiException(403, "Forbidden", $"The API key belongs to tenant '{info.Tenant}' and cannot access tenant '{Truncate(routeTenant)}'.");
        }

        context.Items[TenantItem] = info;
        await next(context);
    }

    private static string? KeyOf(HttpContext context, bool allowQuery)
    {
        StringValues authorization = context.Request.Headers.Authorization;
        foreach (string? value in authorization)
        {
            if (value is not null && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > 7)
            {
                return value[7..].Trim();
            }
        }

        string? header = context.Request.Headers["X-Api-Key"];
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        string? query = allowQuery ? context.Request.Query["api_key"] : default(string);
        return string.IsNullOrWhiteSpace(query) ? null : query;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}

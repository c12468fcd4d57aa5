using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Derived;

namespace PGenRM.Host.Api;

/// <summary>Maps the admin route of <c>pgenrm rebuild</c>: POST /v1/tenants/{tenant}/rebuild.</summary>
internal static class RebuildEndpoints
{
    /// <summary>
    /// Adds POST /v1/tenants/{tenant}/rebuild (admin key): replays the tenant's feedback logs into its item, prototype and
    /// population statistics (<see cref="TenantRebuild"/>) and answers with what was replayed. 404 for an unknown tenant.
    /// </summary>
    public static void MapRebuildApi(this WebApplication app)
    {
        app.MapPost("/v1/tenants/{tenant}/rebuild", async (HttpContext http, IGrainFactory grains, TenantRebuild rebuild, string tenant) =>
        {
            Check.Id(tenant, "tenant");
            _ = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(http.RequestAborted)
                ?? throw new ApiException(404, "Not found", $"Tenant '{tenant}' does not exist.");
            var result = await rebuild.RunAsync(tenant, http.RequestAborted);
            return Results.Json(
                new { tenant = result.Tenant, users = result.Users, items = result.Items, prototypes = result.Prototypes, entries = result.Entries, seconds = result.Seconds },
                JsonBody.Options);
        }).WithMetadata(new EndpointAccess(AccessKind.Admin));
    }
}

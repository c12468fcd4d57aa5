using Microsoft.AspNetCore.Http.HttpResults;
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
        app.MapPost("/v1/tenants/{tenant}/rebuild", RebuildAsync)
            .WithTags("Tenants").WithName(nameof(RebuildAsync))
            .WithSummary("Replay a tenant's feedback logs into its item, prototype and population statistics (admin)")
            .WithMetadata(new EndpointAccess(AccessKind.Admin))
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>POST /v1/tenants/{tenant}/rebuild.</summary>
    public static async Task<Ok<RebuildResult>> RebuildAsync(string tenant, HttpContext http, IGrainFactory grains, TenantRebuild rebuild)
    {
        Check.Id(tenant, "tenant");
        _ = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetAsync(http.RequestAborted)
            ?? throw new ApiException(404, "Not found", $"Tenant '{tenant}' does not exist.");
        return TypedResults.Ok(await rebuild.RunAsync(tenant, http.RequestAborted));
    }
}

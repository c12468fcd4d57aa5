using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Prototypes: the tenant's user clusters, their 2-D map, and a re-clustering on demand.</summary>
internal static class PrototypesApi
{
    /// <summary>Maps the prototype routes under the tenant group.</summary>
    public static void MapPrototypesApi(this RouteGroupBuilder tenant)
    {
        var api = tenant.MapGroup("").WithTags("Prototypes");
        api.MapGet("/prototypes", ListAsync).WithName(nameof(ListAsync)).WithSummary("Each prototype's size and spread");
        api.MapGet("/prototypes/map", MapAsync).WithName(nameof(MapAsync)).WithSummary("The prototypes on a 2-D map");
        api.MapPost("/prototypes/recluster", ReclusterAsync).WithName(nameof(ReclusterAsync)).WithSummary("Re-cluster the tenant's users now");
    }

    /// <summary>GET /v1/tenants/{tenant}/prototypes.</summary>
    public static async Task<Ok<PrototypesResponse>> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        // Read fresh from the tenant grain (not the request cache): a rare read, and it should show the last pass.
        var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).GetDirectoryAsync(http.RequestAborted);
        var summaries = await Task.WhenAll(Enumerable.Range(0, directory.Centroids.Count).Select(i =>
            grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(info.Tenant, i)).GetSummaryAsync(http.RequestAborted)));
        return TypedResults.Ok(new PrototypesResponse(
            directory.Version,
            summaries.Select(s => new PrototypeView(s.Index, s.Members, s.Spread, s.MeanPairCount, s.Version)).ToList()));
    }

    /// <summary>GET /v1/tenants/{tenant}/prototypes/map.</summary>
    public static async Task<Ok<PrototypeMapResponse>> MapAsync(HttpContext http, IGrainFactory grains)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).GetDirectoryAsync(http.RequestAborted);
        return TypedResults.Ok(View(directory));
    }

    /// <summary>POST /v1/tenants/{tenant}/prototypes/recluster.</summary>
    public static async Task<Ok<PrototypeMapResponse>> ReclusterAsync(HttpContext http, IGrainFactory grains)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).ReclusterAsync(http.RequestAborted);
        return TypedResults.Ok(View(directory));
    }

    private static PrototypeMapResponse View(PrototypeDirectory directory)
    {
        var (points, explained) = PrototypeMap.Project(directory.Centroids);
        return new PrototypeMapResponse(
            directory.Version,
            explained,
            points.Select((p, i) => new PrototypePoint(i, p[0], p[1], i < directory.Counts.Count ? directory.Counts[i] : 0)).ToList());
    }
}

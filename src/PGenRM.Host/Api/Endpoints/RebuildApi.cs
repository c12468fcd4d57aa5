using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// Rebuild (admin): replays a tenant's feedback logs into its item, prototype and population statistics as a background
/// job (<see cref="IRebuildGrain"/>, one per tenant at a time), the repair behind <c>pgenrm rebuild</c>.
/// </summary>
internal static class RebuildApi
{
    /// <summary>Maps the rebuild routes under <paramref name="v1"/>.</summary>
    public static void MapRebuildApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("").WithTags("Tenants").WithMetadata(new EndpointAccess(AccessKind.Admin))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/tenants/{tenant}/rebuild", StartRebuildAsync)
            .WithName(nameof(StartRebuildAsync))
            .WithSummary("Start replaying a tenant's feedback logs into its item, prototype and population statistics (admin); the job's status is at Location")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/tenants/{tenant}/rebuild/{job}", GetRebuildAsync)
            .WithName(nameof(GetRebuildAsync)).WithSummary("A rebuild job's progress and outcome (admin)");
    }

    /// <summary>POST /v1/tenants/{tenant}/rebuild: 202 with the job and its status route, 409 while one runs, 404 for an unknown tenant.</summary>
    public static async Task<Results<Accepted<RebuildJobResponse>, ProblemHttpResult>> StartRebuildAsync(string tenant, HttpContext http, IGrainFactory grains)
    {
        Check.Id(tenant, "tenant");
        try
        {
            var job = await grains.GetGrain<IRebuildGrain>(GrainKeys.Tenant(tenant)).StartAsync(http.RequestAborted);
            return TypedResults.Accepted(StatusPath(tenant, job.Id), View(job));
        }
        catch (RebuildRunningException running)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status409Conflict, "Conflict", running.Message);
        }
    }

    /// <summary>GET /v1/tenants/{tenant}/rebuild/{job}: the job's status; 404 for an unknown tenant or job.</summary>
    public static async Task<Results<Ok<RebuildJobResponse>, ProblemHttpResult>> GetRebuildAsync(string tenant, string job, HttpContext http, IGrainFactory grains)
    {
        Check.Id(tenant, "tenant");
        var status = GrainKeys.IsValidTenant(tenant) ? await grains.GetGrain<IRebuildGrain>(GrainKeys.Tenant(tenant)).GetAsync(job, http.RequestAborted) : null;
        return status is null
            ? ErrorHandling.Problem(http, StatusCodes.Status404NotFound, "Not found", $"Tenant '{tenant}' has no rebuild job '{job}'.")
            : TypedResults.Ok(View(status));
    }

    /// <summary>The status route of <paramref name="job"/>.</summary>
    public static string StatusPath(string tenant, string job) => $"/v1/tenants/{Uri.EscapeDataString(tenant)}/rebuild/{Uri.EscapeDataString(job)}";

    private static RebuildJobResponse View(RebuildJob job) => new(
        job.Id, job.Tenant, job.State.ToString().ToLowerInvariant(), job.Users, job.UsersReplayed, job.Items, job.Prototypes, job.Entries,
        job.StartedAt, job.FinishedAt, ((job.FinishedAt ?? DateTimeOffset.UtcNow) - job.StartedAt).TotalSeconds, job.Error);
}

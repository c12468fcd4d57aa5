using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Liveness and readiness probes (no key).</summary>
internal static class HealthApi
{
    /// <summary>Maps /health/live and /health/ready.</summary>
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Health");
        api.MapGet("/health/live", Live).WithName(nameof(Live)).WithSummary("The process answers");
        api.MapGet("/health/ready", ReadyAsync).WithName(nameof(ReadyAsync)).WithSummary("The evaluator is built and storage answers");
    }

    /// <summary>GET /health/live.</summary>
    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("live"));

    /// <summary>GET /health/ready: 200 when the evaluator is built (encoder loaded) and a grain call through storage answers, else 503.</summary>
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> ReadyAsync(
        SiloEvaluator evaluators, IGrainFactory grains, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var evaluator = await evaluators.GetAsync(timeout.Token);
            await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant("health-check")).GetAsync(timeout.Token);
            return TypedResults.Ok(new HealthResponse("ready", ModelVersion: evaluator.ModelVersion));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Json(
                new HealthResponse("starting", Detail: "The evaluator or storage is not ready yet."), JsonBody.Options,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

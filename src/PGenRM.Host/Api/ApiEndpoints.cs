using PGenRM.Host.Api.Endpoints;

namespace PGenRM.Host.Api;

/// <summary>
/// Maps the HTTP API, one module per area (<c>Api/Endpoints/*Api.cs</c>: static handlers, typed request and response
/// records, <c>TypedResults</c>), and its OpenAPI description at <see cref="OpenApiPath"/>.
/// </summary>
internal static class ApiEndpoints
{
    /// <summary>The OpenAPI document's route (anonymous, like /health: it describes the API and holds no data).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The content type of every request body.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>Adds every endpoint to <paramref name="app"/>.</summary>
    public static void MapPGenRMApi(this WebApplication app)
    {
        app.MapOpenApi(OpenApiPath);
        app.MapHealthApi();

        var v1 = app.MapGroup("/v1");
        v1.MapTenantsApi();
        v1.MapRebuildApi();
        var tenant = v1.MapGroup("/tenants/{tenant}")
            .WithMetadata(new EndpointAccess(AccessKind.Tenant))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tenant.MapFeedbackApi();
        tenant.MapScoringApi();
        tenant.MapUsersApi();
        tenant.MapPrototypesApi();
        app.MapRewardApi();
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Tenants: create (admin), read (tenant key), change settings (admin).</summary>
internal static class TenantsApi
{
    /// <summary>Maps the tenant routes under <paramref name="v1"/>.</summary>
    public static void MapTenantsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("").WithTags("Tenants");
        api.MapPost("/tenants", CreateTenantAsync)
            .WithName(nameof(CreateTenantAsync)).WithSummary("Create a tenant; its API key is shown once")
            .ReadsJson<CreateTenantRequest>()
            .WithMetadata(new EndpointAccess(AccessKind.Admin))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/tenants/{tenant}", GetTenant)
            .WithName(nameof(GetTenant)).WithSummary("The tenant's settings and prototype count")
            .WithMetadata(new EndpointAccess(AccessKind.Tenant));
        // Admin only: a tenant key cannot raise its own limits or point itself at another model server.
        api.MapPatch("/tenants/{tenant}/settings", UpdateSettingsAsync)
            .WithName(nameof(UpdateSettingsAsync)).WithSummary("Change a tenant's settings (admin)")
            .ReadsJson<TenantSettingsRequest>()
            .WithMetadata(new EndpointAccess(AccessKind.Admin))
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>POST /v1/tenants.</summary>
    public static async Task<Created<CreateTenantResponse>> CreateTenantAsync(HttpContext http, IGrainFactory grains, TenantCache cache)
    {
        var body = await JsonBody.ReadAsync<CreateTenantRequest>(http);
        string tenant = body.Tenant is not null && GrainKeys.IsValidTenant(body.Tenant)
            ? body.Tenant
            : throw Check.Bad($"'tenant' must be 1–{GrainKeys.MaxTenantLength} ASCII letters, digits or '-'.");
        var settings = Settings(body.Settings);
        string key = ApiKeys.NewTenantKey(tenant);
        var info = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).CreateAsync(settings, ApiKeys.Hash(key), http.RequestAborted);
        cache.Invalidate(tenant);
        // The key is shown here once; only its hash is stored. No Location: the tenant is read with its own key.
        return TypedResults.Created((string?)null, new CreateTenantResponse(info.Tenant, key, info.Settings, info.CreatedAt));
    }

    /// <summary>GET /v1/tenants/{tenant}.</summary>
    public static Ok<TenantResponse> GetTenant(HttpContext http)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        return TypedResults.Ok(new TenantResponse(info.Tenant, info.Settings, info.CreatedAt, info.Directory.Centroids.Count, info.Directory.Version));
    }

    /// <summary>PATCH /v1/tenants/{tenant}/settings.</summary>
    public static async Task<Results<Ok<TenantSettingsResponse>, ProblemHttpResult>> UpdateSettingsAsync(
        HttpContext http, IGrainFactory grains, TenantCache cache, string tenant)
    {
        Check.Id(tenant, "tenant");
        var grain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        var current = await grain.GetAsync(http.RequestAborted);
        if (current is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, "Not found", $"Tenant '{tenant}' does not exist.");
        }

        var body = await JsonBody.ReadAsync<TenantSettingsRequest>(http);
        var info = await grain.UpdateSettingsAsync(Settings(body, current.Settings), http.RequestAborted);
        cache.Invalidate(tenant);
        return TypedResults.Ok(new TenantSettingsResponse(info.Tenant, info.Settings));
    }

    private static TenantSettings Settings(TenantSettingsRequest? request, TenantSettings? current = null)
    {
        var settings = current?.WithEvaluatorDefaults() ?? new TenantSettings();
        if (request is not null)
        {
            settings = settings with
            {
                Prototypes = request.Prototypes ?? settings.Prototypes,
                M = request.M ?? settings.M,
                N = request.N ?? settings.N,
                MaxCandidates = request.MaxCandidates ?? settings.MaxCandidates,
                MaxTextLength = request.MaxTextLength ?? settings.MaxTextLength,
                MaxBatch = request.MaxBatch ?? settings.MaxBatch,
                RequestsPerSecond = request.RequestsPerSecond ?? settings.RequestsPerSecond,
                ReclusterAfterMoves = request.ReclusterAfterMoves ?? settings.ReclusterAfterMoves,
                MaxUsersPerRewardRequest = request.MaxUsersPerRewardRequest ?? settings.MaxUsersPerRewardRequest,
                Evaluator = request.Evaluator ?? settings.Evaluator,
                LlmEndpoint = request.LlmEndpoint ?? settings.LlmEndpoint,
                LlmModel = request.LlmModel ?? settings.LlmModel,
                LlmMaxM = request.LlmMaxM ?? settings.LlmMaxM,
                LlmMaxN = request.LlmMaxN ?? settings.LlmMaxN,
                LlmMaxConcurrency = request.LlmMaxConcurrency ?? settings.LlmMaxConcurrency,
                LlmFallback = request.LlmFallback ?? settings.LlmFallback,
                LlmMaxOutputTokens = request.LlmMaxOutputTokens ?? settings.LlmMaxOutputTokens,
            };
        }

        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw Check.Bad($"settings.{e.Message}");
        }

        return settings;
    }
}

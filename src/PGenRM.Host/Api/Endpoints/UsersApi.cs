using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Users: stated preference, profile, export and deletion.</summary>
internal static class UsersApi
{
    /// <summary>Maps the user routes under the tenant group.</summary>
    public static void MapUsersApi(this RouteGroupBuilder tenant)
    {
        var api = tenant.MapGroup("").WithTags("Users").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPut("/users/{user}/stated-preference", SetStatedPreferenceAsync)
            .WithName(nameof(SetStatedPreferenceAsync)).WithSummary("Set the user's stated preference (free text)")
            .ReadsJson<StatedPreferenceRequest>();
        api.MapGet("/users/{user}/profile", GetProfileAsync)
            .WithName(nameof(GetProfileAsync)).WithSummary("The user's profile, persona and rubric per scenario");
        api.MapGet("/users/{user}/export", ExportAsync)
            .WithName(nameof(ExportAsync)).WithSummary("Everything stored about the user");
        api.MapDelete("/users/{user}", DeleteAsync)
            .WithName(nameof(DeleteAsync)).WithSummary("Forget the user");
    }

    /// <summary>PUT /v1/tenants/{tenant}/users/{user}/stated-preference.</summary>
    public static async Task<Ok<ProfileResponse>> SetStatedPreferenceAsync(HttpContext http, IGrainFactory grains, SiloEvaluator evaluators, string user)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        Check.Id(user, "user");
        var body = await JsonBody.ReadAsync<StatedPreferenceRequest>(http);
        string text = Check.Text(body.Text, "text", info.Settings.MaxTextLength);
        var profile = await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).SetStatedPreferenceAsync(text, http.RequestAborted);
        return TypedResults.Ok(ProfileView.Build(user, profile, await evaluators.GetAsync(http.RequestAborted)));
    }

    /// <summary>GET /v1/tenants/{tenant}/users/{user}/profile.</summary>
    public static async Task<Results<Ok<ProfileResponse>, ProblemHttpResult>> GetProfileAsync(
        HttpContext http, IGrainFactory grains, SiloEvaluator evaluators, string user)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var profile = await ProfileAsync(grains, info, user, http.RequestAborted);
        return ProfileView.IsUnknown(profile)
            ? UnknownUser(http, info, user)
            : TypedResults.Ok(ProfileView.Build(user, profile, await evaluators.GetAsync(http.RequestAborted)));
    }

    /// <summary>GET /v1/tenants/{tenant}/users/{user}/export.</summary>
    public static async Task<Results<Ok<UserExport>, ProblemHttpResult>> ExportAsync(HttpContext http, IGrainFactory grains, string user)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        if (ProfileView.IsUnknown(await ProfileAsync(grains, info, user, http.RequestAborted)))
        {
            return UnknownUser(http, info, user);
        }

        return TypedResults.Ok(await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).ExportAsync(http.RequestAborted));
    }

    /// <summary>DELETE /v1/tenants/{tenant}/users/{user}.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, IGrainFactory grains, string user)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        if (ProfileView.IsUnknown(await ProfileAsync(grains, info, user, http.RequestAborted)))
        {
            return UnknownUser(http, info, user);
        }

        await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).DeleteAsync(http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static Task<UserProfile> ProfileAsync(IGrainFactory grains, TenantInfo info, string user, CancellationToken cancellationToken)
    {
        Check.Id(user, "user");
        return grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).GetProfileAsync(cancellationToken);
    }

    private static ProblemHttpResult UnknownUser(HttpContext http, TenantInfo info, string user) =>
        ErrorHandling.Problem(http, StatusCodes.Status404NotFound, "Not found", $"User '{user}' has no feedback or stated preference in tenant '{info.Tenant}'.");
}

using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Host.Api;

namespace PGenRM.Host.Hosting;

/// <summary>
/// Guards the Orleans dashboard (<see cref="Path"/>): the admin key only. The key comes as "Authorization: Bearer KEY",
/// "X-Api-Key: KEY" or HTTP Basic with the key as password, because a browser can only send Basic by itself: the
/// dashboard's page fetches its data with relative requests that carry no custom header, and a 401 here asks the
/// browser for the credentials. No or a wrong key: 401; a valid tenant key: 403.
/// </summary>
internal sealed class DashboardAccess(RequestDelegate next, AdminKey admin, TenantCache tenants)
{
    /// <summary>Where the dashboard is mapped.</summary>
    public const string Path = "/dashboard";

    /// <summary>Lets admin requests through.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        string? key = KeyOf(context.Request);
        if (key is not null && admin.Matches(key))
        {
            await next(context);
            return;
        }

        if (key is not null && await IsTenantKeyAsync(key, context.RequestAborted))
        {
            await ErrorHandling.WriteAsync(context, 403, "Forbidden", "The Orleans dashboard needs the admin key; a tenant key cannot open it.");
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Basic realm=\"PGenRM dashboard (admin key as password)\", charset=\"UTF-8\"";
        await ErrorHandling.WriteAsync(context, 401, "Unauthorized", key is null
            ? "The Orleans dashboard needs the admin key: 'Authorization: Bearer KEY', 'X-Api-Key: KEY', or Basic with the key as password."
            : "The admin key is not valid.");
    }

    private async Task<bool> IsTenantKeyAsync(string key, CancellationToken cancellationToken)
    {
        string? tenant = ApiKeys.TenantOf(key);
        if (tenant is null || !GrainKeys.IsValidTenant(tenant))
        {
            return false;
        }

        var info = await tenants.GetAsync(tenant, cancellationToken);
        return info is not null && ApiKeys.Matches(key, info.ApiKeyHashes);
    }

    private static string? KeyOf(HttpRequest request)
    {
        foreach (string? value in request.Headers.Authorization)
        {
            if (value is null)
            {
                continue;
            }

            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > 7)
            {
                return value[7..].Trim();
            }

            if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && TryBasicPassword(value[6..].Trim(), out string? password))
            {
                return password;
            }
        }

        string? header = request.Headers["X-Api-Key"];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    private static bool TryBasicPassword(string encoded, out string? password)
    {
        password = null;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out int length))
        {
            return false;
        }

        string pair = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        password = colon >= 0 && colon < pair.Length - 1 ? pair[(colon + 1)..] : null;
        return password is not null;
    }
}

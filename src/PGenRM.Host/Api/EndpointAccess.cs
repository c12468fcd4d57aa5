namespace PGenRM.Host.Api;

/// <summary>Endpoint metadata: which key an endpoint needs.</summary>
/// <param name="Kind">The key kind.</param>
/// <param name="AllowQueryKey">Whether the key may come as ?api_key= (only /get_reward, whose callers cannot set headers).</param>
internal sealed record EndpointAccess(AccessKind Kind, bool AllowQueryKey = false);

/// <summary>Which key an endpoint needs.</summary>
internal enum AccessKind
{
    /// <summary>The admin key.</summary>
    Admin,

    /// <summary>A tenant key; a {tenant} route value must be the key's tenant.</summary>
    Tenant,
}

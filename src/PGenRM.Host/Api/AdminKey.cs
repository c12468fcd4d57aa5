namespace PGenRM.Host.Api;

/// <summary>The admin key's hash (the key creates tenants). Held by the host; never the key itself.</summary>
/// <param name="hash">SHA-256 hex of the admin key.</param>
public sealed class AdminKey(string hash)
{
    /// <summary>Whether <paramref name="key"/> is the admin key.</summary>
    public bool Matches(string key) => ApiKeys.Matches(key, [hash]);
}

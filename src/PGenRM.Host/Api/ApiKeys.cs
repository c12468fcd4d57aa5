using System.Security.Cryptography;

namespace PGenRM.Host.Api;

/// <summary>
/// API keys. A tenant key is "{tenant}.{secret}" (a tenant id has no '.'), so the tenant is found without a key index;
/// only the key's SHA-256 (lower-case hex) is stored, and the whole key is compared by hash in fixed time.
/// </summary>
public static class ApiKeys
{
    /// <summary>A new random key for <paramref name="tenant"/> (256 random bits).</summary>
    public static string NewTenantKey(string tenant) => $"{tenant}.{NewSecret()}";

    /// <summary>256 random bits in base64url (no '.').</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the key's UTF-8 bytes in lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>The tenant part of a tenant key, or null if the key has no tenant part.</summary>
    public static string? TenantOf(string key)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? key[..dot] : null;
    }

    /// <summary>Whether <paramref name="key"/> hashes to one of <paramref name="hashes"/> (fixed-time per comparison).</summary>
    public static bool Matches(string key, IEnumerable<string> hashes)
    {
        byte[] actual = System.Text.Encoding.ASCII.GetBytes(Hash(key));
        bool any = false;
        foreach (string hash in hashes)
        {
            any |= CryptographicOperations.FixedTimeEquals(actual, System.Text.Encoding.ASCII.GetBytes(hash));
        }

        return any;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

namespace PGenRM.Grains.Abstractions;

/// <summary>
/// Formats and parses grain keys. Every key carries the tenant: "{tenant}/{user}", "{tenant}/{item}",
/// "{tenant}/{prototype}", "{tenant}". Keys are built only here so that the format is checked in one place.
/// </summary>
/// <remarks>
/// A tenant id is 1–<see cref="MaxTenantLength"/> ASCII letters, digits or '-'. Azure Table storage turns the key's
/// '/' into '_' in the row key, so a tenant with '_' could collide with another tenant's entity ("a_b/c" and "a/b_c");
/// without '_' in tenants the first '_' is always the separator. An entity id (user, item) is
/// 1–<see cref="MaxEntityLength"/> characters without '/', '\', '#', '?' or control characters (the characters Azure
/// Table keys reject or rewrite).
/// </remarks>
public static class GrainKeys
{
    /// <summary>Longest tenant id.</summary>
    public const int MaxTenantLength = 64;

    /// <summary>Longest user or item id.</summary>
    public const int MaxEntityLength = 256;

    /// <summary>Key of a user grain.</summary>
    public static string User(string tenant, string user) => Compose(tenant, user, nameof(user));

    /// <summary>Key of an item grain.</summary>
    public static string Item(string tenant, string item) => Compose(tenant, item, nameof(item));

    /// <summary>Key of a prototype grain (prototypes are numbered per tenant).</summary>
    public static string Prototype(string tenant, int prototype)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prototype);
        return Compose(tenant, prototype.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(prototype));
    }

    /// <summary>Key of a tenant grain.</summary>
    public static string Tenant(string tenant)
    {
        ValidateTenant(tenant);
        return tenant;
    }

    /// <summary>Splits a "{tenant}/{id}" key (user, item or prototype) and validates both parts.</summary>
    /// <exception cref="FormatException">The key is not a valid two-part key.</exception>
    public static (string Tenant, string Id) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new FormatException($"Grain key '{Truncate(key)}' has no '/': expected \"{{tenant}}/{{id}}\".");
        }

        string tenant = key[..slash], id = key[(slash + 1)..];
        try
        {
            ValidateTenant(tenant);
            ValidateEntity(id, "id");
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Grain key '{Truncate(key)}' is invalid: {e.Message}", e);
        }

        return (tenant, id);
    }

    /// <summary>Parses a prototype key into tenant and prototype number.</summary>
    /// <exception cref="FormatException">The key is not a valid prototype key.</exception>
    public static (string Tenant, int Prototype) ParsePrototype(string key)
    {
        var (tenant, id) = Parse(key);
        if (!int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prototype))
        {
            throw new FormatException($"Grain key '{Truncate(key)}' is not a prototype key: '{id}' is not a non-negative integer.");
        }

        return (tenant, prototype);
    }

    /// <summary>Whether <paramref name="tenant"/> is a valid tenant id.</summary>
    public static bool IsValidTenant(string? tenant) =>
        !string.IsNullOrEmpty(tenant) && tenant.Length <= MaxTenantLength && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Whether <paramref name="id"/> is a valid user or item id.</summary>
    public static bool IsValidEntity(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxEntityLength && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static string Compose(string tenant, string id, string what)
    {
        ValidateTenant(tenant);
        ValidateEntity(id, what);
        return $"{tenant}/{id}";
    }

    private static void ValidateTenant(string tenant)
    {
        if (!IsValidTenant(tenant))
        {
            throw new ArgumentException(
                $"Tenant id '{Truncate(tenant)}' is invalid: use 1–{MaxTenantLength} ASCII letters, digits or '-'.", nameof(tenant));
        }
    }

    private static void ValidateEntity(string id, string what)
    {
        if (!IsValidEntity(id))
        {
            throw new ArgumentException(
                $"The {what} id '{Truncate(id)}' is invalid: use 1–{MaxEntityLength} characters without '/', '\\', '#', '?' or control characters.", what);
        }
    }

    private static string Truncate(string? value) => value is null ? "(null)" : value.Length <= 80 ? value : value[..80] + "…";
}

namespace PGenRM.Host.Api;

/// <summary>Request validation: each failure is a 400 that names the field.</summary>
internal static class Check
{
    /// <summary>A required text no longer than <paramref name="maxLength"/>.</summary>
    public static string Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Bad($"'{field}' is required and must not be empty.");
        }

        if (value.Length > maxLength)
        {
            throw Bad($"'{field}' is {value.Length} characters long; the limit is {maxLength}.");
        }

        return value;
    }

    /// <summary>An id (feedback, user, item): 1–256 characters without '/', '\', '#', '?' or control characters.</summary>
    public static string Id(string? value, string field)
    {
        if (!Grains.Abstractions.GrainKeys.IsValidEntity(value))
        {
            throw Bad($"'{field}' must be 1–{Grains.Abstractions.GrainKeys.MaxEntityLength} characters without '/', '\\', '#', '?' or control characters.");
        }

        return value!;
    }

    /// <summary>An optional id.</summary>
    public static string? OptionalId(string? value, string field) => value is null ? null : Id(value, field);

    /// <summary>A finite number.</summary>
    public static double Finite(double value, string field) =>
        double.IsFinite(value) ? value : throw Bad($"'{field}' must be a finite number.");

    /// <summary>A 400 with <paramref name="detail"/>.</summary>
    public static ApiException Bad(string detail) => new(400, "Invalid request", detail);
}

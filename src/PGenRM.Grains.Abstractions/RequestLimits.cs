namespace PGenRM.Grains.Abstractions;

/// <summary>
/// The fixed limits of a request, in one place: the HTTP edge validates them (a 400 naming the field), tenant settings
/// stay inside them, and the grains rely on them. A value outside is an <see cref="InvalidRequestException"/>.
/// </summary>
public static class RequestLimits
{
    /// <summary>Most individual-level schemes one score may ask for (m; also the range of TenantSettings.M).</summary>
    public const int MaxSchemes = 64;

    /// <summary>Most prototype-level neighbours one score may ask for (n; also the range of TenantSettings.N).</summary>
    public const int MaxNeighbours = 256;

    /// <summary>Fewest rated responses in one ratings feedback: a rating orders responses, so it needs two.</summary>
    public const int MinRatedResponses = 2;

    /// <summary>Most rated responses in one ratings feedback (all of its pairs are learned from: 120 at 16).</summary>
    public const int MaxRatedResponses = 16;

    /// <summary><paramref name="m"/> when in [1, <see cref="MaxSchemes"/>].</summary>
    public static int Schemes(int m, string field) => InRange(m, field, 1, MaxSchemes);

    /// <summary><paramref name="n"/> when in [0, <see cref="MaxNeighbours"/>].</summary>
    public static int Neighbours(int n, string field) => InRange(n, field, 0, MaxNeighbours);

    /// <summary>
    /// The most rated responses a ratings feedback may hold for a tenant: its candidate limit, and never above
    /// <see cref="MaxRatedResponses"/>.
    /// </summary>
    public static int MaxRatedResponsesFor(int maxCandidates) => Math.Min(maxCandidates, MaxRatedResponses);

    /// <summary>A count of rated responses in [<see cref="MinRatedResponses"/>, <see cref="MaxRatedResponsesFor"/>].</summary>
    public static int RatedResponses(int count, int maxCandidates, string field) =>
        count >= MinRatedResponses && count <= MaxRatedResponsesFor(maxCandidates)
            ? count
            : throw new InvalidRequestException(field, $"'{field}' must hold {MinRatedResponses}–{MaxRatedResponsesFor(maxCandidates)} rated responses, got {count}.");

    private static int InRange(int value, string field, int min, int max) =>
        value >= min && value <= max ? value : throw new InvalidRequestException(field, $"'{field}' must be between {min} and {max}, got {value}.");
}

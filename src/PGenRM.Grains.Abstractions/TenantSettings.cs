namespace PGenRM.Grains.Abstractions;

/// <summary>A tenant's settings. Defaults are the shipped ones (docs/EVALUATION.md: m = 1, n = 0 unless items recur).</summary>
/// <param name="Prototypes">Number of prototypes k (1–64).</param>
/// <param name="M">Individual-level schemes per score (1 = the posterior mean only).</param>
/// <param name="N">Prototype-level neighbours per candidate (0 = off).</param>
/// <param name="CriteriaBankVersion">Criteria bank the tenant's users are scored with (must match the silo's).</param>
/// <param name="MaxCandidates">Most candidates in one score request.</param>
/// <param name="MaxTextLength">Longest query, response or stated preference, in characters.</param>
/// <param name="MaxBatch">Most feedback items in one batch request.</param>
/// <param name="RequestsPerSecond">Per-tenant rate limit of the HTTP API (token bucket refill rate).</param>
/// <param name="ReclusterAfterMoves">Re-cluster when this many users moved prototype since the last pass.</param>
/// <param name="ReclusterPeriod">Re-cluster at least this often while users keep moving or joining.</param>
/// <param name="MaxUsersPerRewardRequest">Most distinct users in one /get_reward request (0, as in settings stored
/// before it existed: <see cref="DefaultMaxUsersPerRewardRequest"/>).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] int Prototypes = 8,
    [property: Id(1)] int M = 1,
    [property: Id(2)] int N = 0,
    [property: Id(3)] string CriteriaBankVersion = "criteria-v1",
    [property: Id(4)] int MaxCandidates = 64,
    [property: Id(5)] int MaxTextLength = 8192,
    [property: Id(6)] int MaxBatch = 256,
    [property: Id(7)] double RequestsPerSecond = 200,
    [property: Id(8)] int ReclusterAfterMoves = 50,
    [property: Id(9)] TimeSpan ReclusterPeriod = default,
    [property: Id(20)] int MaxUsersPerRewardRequest = TenantSettings.DefaultMaxUsersPerRewardRequest)
{
    /// <summary>Default of <see cref="MaxUsersPerRewardRequest"/>.</summary>
    public const int DefaultMaxUsersPerRewardRequest = 256;

    /// <summary>The cap on distinct users per /get_reward request in effect.</summary>
    public int EffectiveMaxUsersPerRewardRequest => MaxUsersPerRewardRequest <= 0 ? DefaultMaxUsersPerRewardRequest : MaxUsersPerRewardRequest;

    /// <summary>Lowest accepted <see cref="RequestsPerSecond"/> (one request per 100 s).</summary>
    public const double MinRequestsPerSecond = 0.01;

    /// <summary>Highest accepted <see cref="RequestsPerSecond"/>.</summary>
    public const double MaxRequestsPerSecond = 100_000;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first out-of-range setting (the message uses the JSON name,
    /// for example "requestsPerSecond must be in [0.01, 100000], got 1E-12."; ParamName is the property name). Every
    /// range is one that the service can run with: no setting accepted here makes a tenant unusable.
    /// </summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string range)
        {
            if (!ok)
            {
                string json = char.ToLowerInvariant(name[0]) + name[1..];
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{json} must be {range}, got {value}."), name);
            }
        }

        Check(Prototypes is >= 1 and <= 64, nameof(Prototypes), Prototypes, "in [1, 64]");
        Check(M is >= 1 and <= 64, nameof(M), M, "in [1, 64]");
        Check(N is >= 0 and <= 256, nameof(N), N, "in [0, 256]");
        Check(!string.IsNullOrWhiteSpace(CriteriaBankVersion), nameof(CriteriaBankVersion), CriteriaBankVersion ?? "null", "set");
        Check(MaxCandidates is >= 2 and <= 1024, nameof(MaxCandidates), MaxCandidates, "in [2, 1024]");
        Check(MaxTextLength is >= 16 and <= 1_000_000, nameof(MaxTextLength), MaxTextLength, "in [16, 1000000]");
        Check(MaxBatch is >= 1 and <= 10_000, nameof(MaxBatch), MaxBatch, "in [1, 10000]");
        Check(RequestsPerSecond is >= MinRequestsPerSecond and <= MaxRequestsPerSecond, nameof(RequestsPerSecond), RequestsPerSecond, "in [0.01, 100000]");
        Check(ReclusterAfterMoves is >= 1 and <= 1_000_000, nameof(ReclusterAfterMoves), ReclusterAfterMoves, "in [1, 1000000]");
        Check(MaxUsersPerRewardRequest is >= 0 and <= 10_000, nameof(MaxUsersPerRewardRequest), MaxUsersPerRewardRequest, "in [1, 10000] (0: the default)");
        Check(ReclusterPeriod == TimeSpan.Zero || (ReclusterPeriod >= TimeSpan.FromSeconds(1) && ReclusterPeriod <= TimeSpan.FromDays(7)), nameof(ReclusterPeriod), ReclusterPeriod, "zero (default: 5 minutes) or in [1 s, 7 days]");
    }

    /// <summary>The re-clustering period in effect (5 minutes when unset).</summary>
    public TimeSpan EffectiveReclusterPeriod => ReclusterPeriod == TimeSpan.Zero ? TimeSpan.FromMinutes(5) : ReclusterPeriod;
}

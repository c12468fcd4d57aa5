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
/// <param name="ReclusterAfterMoves">Re-cluster (in the background) when a prototype counted this many members joining or leaving since it last asked.</param>
/// <param name="ReclusterPeriod">Re-cluster at least this often while users keep moving or joining.</param>
/// <param name="MaxUsersPerRewardRequest">Most distinct users in one /get_reward request (0, as in settings stored
/// before it existed: <see cref="DefaultMaxUsersPerRewardRequest"/>).</param>
/// <param name="Evaluator">Evaluator backend: <c>compact</c> (embedded, default) or <c>llm</c> (the paper's generative judge).</param>
/// <param name="LlmEndpoint">Name of the judge endpoint, configured on the silos as <c>PGenRM:Llm:Endpoints:{name}</c> (URL and API key live there, never here).</param>
/// <param name="LlmModel">Model name the endpoint serves.</param>
/// <param name="LlmMaxM">Most individual-level chains one score may ask for with the llm evaluator.</param>
/// <param name="LlmMaxN">Most prototype-level chains one score may ask for with the llm evaluator.</param>
/// <param name="LlmMaxConcurrency">Most requests in flight from one silo to the model server for this tenant.</param>
/// <param name="LlmFallback">When the judge fails, answer with the compact evaluator flagged <c>fallback</c> instead of an error.</param>
/// <param name="LlmMaxOutputTokens">Most new tokens per chain.</param>
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
    [property: Id(20)] int MaxUsersPerRewardRequest = TenantSettings.DefaultMaxUsersPerRewardRequest,
    [property: Id(30)] string Evaluator = TenantSettings.CompactEvaluator,
    [property: Id(31)] string? LlmEndpoint = null,
    [property: Id(32)] string? LlmModel = null,
    [property: Id(33)] int LlmMaxM = 16,
    [property: Id(34)] int LlmMaxN = 8,
    [property: Id(35)] int LlmMaxConcurrency = 8,
    [property: Id(36)] bool LlmFallback = false,
    [property: Id(37)] int LlmMaxOutputTokens = 3072)
{
    /// <summary>The embedded evaluator (<see cref="Evaluator"/>'s default).</summary>
    public const string CompactEvaluator = "compact";

    /// <summary>The generative judge behind an OpenAI-compatible endpoint.</summary>
    public const string LlmEvaluator = "llm";

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
        Check(M >= 1 && M <= RequestLimits.MaxSchemes, nameof(M), M, $"in [1, {RequestLimits.MaxSchemes}]");
        Check(N >= 0 && N <= RequestLimits.MaxNeighbours, nameof(N), N, $"in [0, {RequestLimits.MaxNeighbours}]");
        Check(!string.IsNullOrWhiteSpace(CriteriaBankVersion), nameof(CriteriaBankVersion), CriteriaBankVersion ?? "null", "set");
        Check(MaxCandidates is >= 2 and <= 1024, nameof(MaxCandidates), MaxCandidates, "in [2, 1024]");
        Check(MaxTextLength is >= 16 and <= 1_000_000, nameof(MaxTextLength), MaxTextLength, "in [16, 1000000]");
        Check(MaxBatch is >= 1 and <= 10_000, nameof(MaxBatch), MaxBatch, "in [1, 10000]");
        Check(RequestsPerSecond is >= MinRequestsPerSecond and <= MaxRequestsPerSecond, nameof(RequestsPerSecond), RequestsPerSecond, "in [0.01, 100000]");
        Check(ReclusterAfterMoves is >= 1 and <= 1_000_000, nameof(ReclusterAfterMoves), ReclusterAfterMoves, "in [1, 1000000]");
        Check(MaxUsersPerRewardRequest is >= 0 and <= 10_000, nameof(MaxUsersPerRewardRequest), MaxUsersPerRewardRequest, "in [1, 10000] (0: the default)");
        Check(ReclusterPeriod == TimeSpan.Zero || (ReclusterPeriod >= TimeSpan.FromSeconds(1) && ReclusterPeriod <= TimeSpan.FromDays(7)), nameof(ReclusterPeriod), ReclusterPeriod, "zero (default: 5 minutes) or in [1 s, 7 days]");

        static bool IsName(string? s) =>
            s is { Length: >= 1 and <= 128 } && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':');

        Check(Evaluator is CompactEvaluator or LlmEvaluator, nameof(Evaluator), Evaluator, $"'{CompactEvaluator}' or '{LlmEvaluator}'");
        Check(LlmEndpoint is null || IsName(LlmEndpoint), nameof(LlmEndpoint), LlmEndpoint ?? "null", "1–128 ASCII letters, digits or - _ . / :");
        Check(LlmModel is null || IsName(LlmModel), nameof(LlmModel), LlmModel ?? "null", "1–128 ASCII letters, digits or - _ . / :");
        Check(Evaluator != LlmEvaluator || (LlmEndpoint is not null && LlmModel is not null), nameof(LlmEndpoint), LlmEndpoint ?? "null",
            "set, with llmModel, when evaluator is 'llm'");
        Check(LlmMaxM >= 1 && LlmMaxM <= RequestLimits.MaxSchemes, nameof(LlmMaxM), LlmMaxM, $"in [1, {RequestLimits.MaxSchemes}]");
        Check(LlmMaxN is >= 0 and <= 64, nameof(LlmMaxN), LlmMaxN, "in [0, 64]");
        Check(LlmMaxConcurrency is >= 1 and <= 1024, nameof(LlmMaxConcurrency), LlmMaxConcurrency, "in [1, 1024]");
        Check(LlmMaxOutputTokens is >= 16 and <= 32768, nameof(LlmMaxOutputTokens), LlmMaxOutputTokens, "in [16, 32768]");
    }

    /// <summary>The re-clustering period in effect (5 minutes when unset).</summary>
    public TimeSpan EffectiveReclusterPeriod => ReclusterPeriod == TimeSpan.Zero ? TimeSpan.FromMinutes(5) : ReclusterPeriod;

    /// <summary>
    /// These settings with the evaluator's defaults where a value is missing: settings stored before ids 30–37 existed
    /// deserialize with null/zero there (the serializer does not run the constructor's defaults).
    /// </summary>
    public TenantSettings WithEvaluatorDefaults()
    {
        // Evaluator is never null once written by this version, so null marks the whole group as missing.
        var d = new TenantSettings();
        return Evaluator is not null ? this : this with
        {
            Evaluator = d.Evaluator,
            LlmMaxM = d.LlmMaxM,
            LlmMaxN = d.LlmMaxN,
            LlmMaxConcurrency = d.LlmMaxConcurrency,
            LlmFallback = d.LlmFallback,
            LlmMaxOutputTokens = d.LlmMaxOutputTokens,
        };
    }
}

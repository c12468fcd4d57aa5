using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Scoring: rewards for candidate responses, and a pairwise comparison.</summary>
internal static class ScoringApi
{
    /// <summary>Maps the scoring routes under the tenant group.</summary>
    public static void MapScoringApi(this RouteGroupBuilder tenant)
    {
        var api = tenant.MapGroup("").WithTags("Scoring")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status502BadGateway);
        api.MapPost("/users/{user}/score", ScoreAsync)
            .WithName(nameof(ScoreAsync)).WithSummary("A reward for each candidate response, for this user")
            .ReadsJson<ScoreHttpRequest>();
        api.MapPost("/users/{user}/compare", CompareAsync)
            .WithName(nameof(CompareAsync)).WithSummary("The probability that this user prefers the first of two responses")
            .ReadsJson<ScoreHttpRequest>();
    }

    /// <summary>POST /v1/tenants/{tenant}/users/{user}/score.</summary>
    public static async Task<Ok<ScoreResult>> ScoreAsync(HttpContext http, IGrainFactory grains, string user)
    {
        var (request, worker) = await ScoreRequestAsync(http, grains, user, pairwise: false);
        long started = Stopwatch.GetTimestamp();
        var response = await worker.ScoreAsync(request, http.RequestAborted);
        Record("score", request, started);
        return TypedResults.Ok(View(response));
    }

    /// <summary>POST /v1/tenants/{tenant}/users/{user}/compare.</summary>
    public static async Task<Ok<CompareResult>> CompareAsync(HttpContext http, IGrainFactory grains, string user)
    {
        var (request, worker) = await ScoreRequestAsync(http, grains, user, pairwise: true);
        long started = Stopwatch.GetTimestamp();
        var response = await worker.CompareAsync(request, http.RequestAborted);
        Record("compare", request, started);
        return TypedResults.Ok(new CompareResult(response.Probability, View(response.Score)));
    }

    private static async Task<(ScoreRequest Request, IScoringWorker Worker)> ScoreRequestAsync(HttpContext http, IGrainFactory grains, string user, bool pairwise)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var s = info.Settings;
        Check.Id(user, "user");
        var body = await JsonBody.ReadAsync<ScoreHttpRequest>(http);
        string query = Check.Text(body.Query, "query", s.MaxTextLength);
        var candidates = body.Candidates ?? throw Check.Bad("'candidates' is required.");
        if (pairwise ? candidates.Count != 2 : candidates.Count < 1 || candidates.Count > s.MaxCandidates)
        {
            throw Check.Bad(pairwise
                ? $"'candidates' must hold exactly 2 responses to compare, got {candidates.Count}."
                : $"'candidates' must hold 1–{s.MaxCandidates} responses, got {candidates.Count}.");
        }

        for (int i = 0; i < candidates.Count; i++)
        {
            Check.Text(candidates[i], $"candidates[{i}]", s.MaxTextLength);
        }

        if (body.CandidateIds is not null)
        {
            if (body.CandidateIds.Count != candidates.Count)
            {
                throw Check.Bad($"'candidateIds' must hold one id (or null) per candidate: {candidates.Count}, got {body.CandidateIds.Count}.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < body.CandidateIds.Count; i++)
            {
                // One item cannot be two candidates: its stored strength would be scored against itself.
                if (Check.OptionalId(body.CandidateIds[i], $"candidateIds[{i}]") is { } id && !seen.Add(id))
                {
                    throw Check.Bad($"'candidateIds[{i}]' repeats the id '{id}'; candidate ids must be distinct within a request.");
                }
            }
        }

        int? m = body.M is { } mv ? RequestLimits.Schemes(mv, "m") : null;
        int? n = body.N is { } nv ? RequestLimits.Neighbours(nv, "n") : null;
        var request = new ScoreRequest(info.Tenant, user, query, candidates, body.CandidateIds, m, n, body.Explain ?? false);
        return (request, grains.GetGrain<IScoringWorker>(0));
    }

    private static void Record(string endpoint, ScoreRequest request, long started)
    {
        var tag = new KeyValuePair<string, object?>("endpoint", endpoint);
        ServiceMetrics.Scores.Add(1, tag);
        ServiceMetrics.Candidates.Add(request.Candidates.Count, tag);
        ServiceMetrics.ScoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
    }

    private static ScoreResult View(ScoreResponse r) => new(
        r.Rewards,
        r.PreferredIndex,
        r.ItemIds,
        r.IsColdStart,
        r.Prototype,
        r.M,
        r.N,
        r.Neighbours,
        r.Agreement,
        r.ModelVersion,
        r.CriteriaBankVersion,
        r.Chain,
        r.Evaluator,
        r.Fallback,
        r.LlmTraceJson is null ? null : JsonSerializer.Deserialize<JsonElement>(r.LlmTraceJson));
}

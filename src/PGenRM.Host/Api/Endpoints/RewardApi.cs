using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains.Abstractions;
using PGenRM.Host.Hosting;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// OpenRLHF's remote reward model (POST /get_reward): one reward per query string. Each query is split into prompt and
/// response (by the given prompt, else at the configured separator), the queries of one user and one prompt are scored
/// in one call, and the rewards come back in query order. Any error fails the whole request: a reward is never made up.
/// </summary>
internal static class RewardApi
{
    /// <summary>Maps POST /get_reward (tenant key, also as ?api_key=: OpenRLHF cannot set headers).</summary>
    public static void MapRewardApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/get_reward", GetRewardAsync)
            .WithTags("Reward").WithName(nameof(GetRewardAsync)).WithSummary("OpenRLHF's remote reward model: one reward per query string")
            .ReadsJson<RewardRequest>()
            .WithMetadata(new EndpointAccess(AccessKind.Tenant, AllowQueryKey: true))
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>POST /get_reward.</summary>
    public static async Task<Ok<RewardResponse>> GetRewardAsync(HttpContext http, IGrainFactory grains, ServiceOptions options)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var body = await JsonBody.ReadAsync<RewardRequest>(http);
        return TypedResults.Ok(await ScoreAsync(body, info, options.RewardPromptSeparator, grains, http.RequestAborted));
    }

    /// <summary>The rewards and their fallback flags, in query order.</summary>
    public static async Task<RewardResponse> ScoreAsync(RewardRequest body, TenantInfo info, string separator, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var s = info.Settings;
        var queries = body.Query ?? throw Check.Bad("'query' is required: a list of prompt+response strings.");
        if (queries.Count == 0 || queries.Count > s.MaxBatch)
        {
            throw Check.Bad($"'query' must hold 1–{s.MaxBatch} strings, got {queries.Count}.");
        }

        CheckCount(body.Prompts, "prompts", queries.Count);
        CheckCount(body.UserIds, "user_ids", queries.Count);
        CheckCount(body.Labels, "labels", queries.Count);

        var rows = new (string User, string Prompt, string Response)[queries.Count];
        for (int i = 0; i < queries.Count; i++)
        {
            string query = Check.Text(queries[i], $"query[{i}]", s.MaxTextLength * 2);
            string user = body.UserIds?[i] ?? body.UserId ?? body.Labels?[i]
                ?? throw Check.Bad($"No user for 'query[{i}]': give 'user_ids' (one per query), 'user_id', or 'labels' holding user ids.");
            Check.Id(user, body.UserIds is not null ? $"user_ids[{i}]" : body.UserId is not null ? "user_id" : $"labels[{i}]");
            string prompt, response;
            if (body.Prompts is not null)
            {
                prompt = Check.Text(body.Prompts[i], $"prompts[{i}]", s.MaxTextLength);
                if (!query.StartsWith(prompt, StringComparison.Ordinal))
                {
                    throw Check.Bad($"'query[{i}]' does not start with 'prompts[{i}]': the response is what follows the prompt.");
                }

                response = query[prompt.Length..];
            }
            else
            {
                int at = query.LastIndexOf(separator, StringComparison.Ordinal);
                if (at < 0)
                {
                    throw Check.Bad($"'query[{i}]' has no prompt/response separator {System.Text.Json.JsonSerializer.Serialize(separator)}; send 'prompts' or set PGenRM:RewardPromptSeparator.");
                }

                prompt = query[..at];
                response = query[(at + separator.Length)..];
            }

            rows[i] = (user, Check.Text(prompt, $"query[{i}] (prompt part)", s.MaxTextLength), Check.Text(response, $"query[{i}] (response part)", s.MaxTextLength));
        }

        // Each distinct user is a user grain to reach: a per-request cap keeps one request from activating thousands.
        int users = rows.Select(r => r.User).Distinct(StringComparer.Ordinal).Count();
        if (users > s.EffectiveMaxUsersPerRewardRequest)
        {
            throw Check.Bad($"The request names {users} distinct users; the tenant's limit 'maxUsersPerRewardRequest' is {s.EffectiveMaxUsersPerRewardRequest}.");
        }

        // The worker only after validation: a bad request is answered without touching the cluster.
        var worker = grains.GetGrain<IScoringWorker>(0);
        var rewards = new double[rows.Length];
        var fallback = new bool[rows.Length];
        var calls = rows.Select((row, i) => (row, i))
            .GroupBy(x => (x.row.User, x.row.Prompt))
            .SelectMany(g => g.Chunk(s.MaxCandidates))
            .Select(async chunk =>
            {
                var first = chunk[0].row;
                var response = await worker.ScoreAsync(
                    new ScoreRequest(info.Tenant, first.User, first.Prompt, chunk.Select(x => x.row.Response).ToList()), cancellationToken);
                if (response.Rewards.Length != chunk.Length)
                {
                    throw new InvalidOperationException($"The scoring worker returned {response.Rewards.Length} rewards for {chunk.Length} candidates.");
                }

                for (int j = 0; j < chunk.Length; j++)
                {
                    rewards[chunk[j].i] = response.Rewards[j];
                    fallback[chunk[j].i] = response.Fallback;
                }
            });
        await Task.WhenAll(calls);
        ServiceMetrics.Scores.Add(1, new KeyValuePair<string, object?>("endpoint", "get_reward"));
        ServiceMetrics.Candidates.Add(rows.Length, new KeyValuePair<string, object?>("endpoint", "get_reward"));
        return new RewardResponse(rewards, fallback);
    }

    private static void CheckCount<T>(IReadOnlyList<T>? list, string field, int count)
    {
        if (list is not null && list.Count != count)
        {
            throw Check.Bad($"'{field}' must hold one entry per query ({count}), got {list.Count}.");
        }
    }
}

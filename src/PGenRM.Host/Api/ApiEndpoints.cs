using System.Diagnostics;
using System.Text.Json;
using PGenRM.Grains;
using PGenRM.Grains.Abstractions;
using PGenRM.Host.Hosting;

namespace PGenRM.Host.Api;

/// <summary>Maps the HTTP API: /v1 (tenants, feedback, score, profile, prototypes), /get_reward, health.</summary>
internal static class ApiEndpoints
{
    /// <summary>Adds every endpoint to <paramref name="app"/>.</summary>
    public static void MapPGenRMApi(this WebApplication app, ServiceOptions options)
    {
        long maxBody = options.MaxRequestBodyBytes;
        var v1 = app.MapGroup("/v1");

        v1.MapPost("/tenants", async (HttpContext http, IGrainFactory grains, TenantCache cache) =>
        {
            var body = await JsonBody.ReadAsync<CreateTenantRequest>(http, maxBody);
            string tenant = body.Tenant is not null && GrainKeys.IsValidTenant(body.Tenant)
                ? body.Tenant
                : throw Check.Bad($"'tenant' must be 1–{GrainKeys.MaxTenantLength} ASCII letters, digits or '-'.");
            var settings = Settings(body.Settings);
            string key = ApiKeys.NewTenantKey(tenant);
            var info = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).CreateAsync(settings, ApiKeys.Hash(key), http.RequestAborted);
            cache.Invalidate(tenant);
            // The key is shown here once; only its hash is stored.
            return Results.Json(new { tenant = info.Tenant, apiKey = key, settings = info.Settings, createdAt = info.CreatedAt }, JsonBody.Options, statusCode: 201);
        }).WithMetadata(new EndpointAccess(AccessKind.Admin));

        var tenantApi = v1.MapGroup("/tenants/{tenant}").WithMetadata(new EndpointAccess(AccessKind.Tenant));

        tenantApi.MapGet("", (HttpContext http) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            return Results.Json(new { tenant = info.Tenant, settings = info.Settings, createdAt = info.CreatedAt, prototypes = info.Directory.Centroids.Count, centroidVersion = info.Directory.Version }, JsonBody.Options);
        });

        // Admin only: a tenant key cannot raise its own limits or point itself at another model server.
        v1.MapPatch("/tenants/{tenant}/settings", async (HttpContext http, IGrainFactory grains, TenantCache cache, string tenant) =>
        {
            Check.Id(tenant, "tenant");
            var grain = grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
            var current = await grain.GetAsync(http.RequestAborted)
                ?? throw new ApiException(404, "Not found", $"Tenant '{tenant}' does not exist.");
            var body = await JsonBody.ReadAsync<TenantSettingsRequest>(http, maxBody);
            var info = await grain.UpdateSettingsAsync(Settings(body, current.Settings), http.RequestAborted);
            cache.Invalidate(tenant);
            return Results.Json(new { tenant = info.Tenant, settings = info.Settings }, JsonBody.Options);
        }).WithMetadata(new EndpointAccess(AccessKind.Admin));

        tenantApi.MapPost("/users/{user}/feedback", async (HttpContext http, IGrainFactory grains, TimeProvider time, string user) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            Check.Id(user, "user");
            var body = await JsonBody.ReadAsync<FeedbackRequest>(http, maxBody);
            if (body.User is not null && body.User != user)
            {
                throw Check.Bad($"'user' in the body ('{body.User}') differs from the user in the path ('{user}').");
            }

            var item = FeedbackMapping.Validate(body, info.Settings, "", time);
            var receipt = await FeedbackMapping.ApplyAsync(grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)), item, http.RequestAborted);
            return Results.Json(FeedbackMapping.Receipt(item.Id, receipt), JsonBody.Options);
        });

        tenantApi.MapPost("/feedback/batch", async (HttpContext http, IGrainFactory grains, TimeProvider time) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            var body = await JsonBody.ReadAsync<FeedbackBatchRequest>(http, maxBody);
            var items = body.Items ?? throw Check.Bad("'items' is required.");
            if (items.Count == 0 || items.Count > info.Settings.MaxBatch)
            {
                throw Check.Bad($"'items' must hold 1–{info.Settings.MaxBatch} feedback items, got {items.Count}.");
            }

            // Everything is validated before anything is applied: a 400 means nothing of the batch was stored.
            var validated = items.Select((item, i) =>
            {
                if (item is null)
                {
                    throw Check.Bad($"'items[{i}]' must be an object.");
                }

                string user = Check.Id(item.User, $"items[{i}].user");
                return (Index: i, User: user, Item: FeedbackMapping.Validate(item, info.Settings, $"items[{i}].", time));
            }).ToList();

            var results = new object[validated.Count];
            // One sequence per user keeps each user's items in order; users run concurrently.
            await Task.WhenAll(validated.GroupBy(v => v.User).Select(async group =>
            {
                var grain = grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, group.Key));
                foreach (var v in group)
                {
                    try
                    {
                        results[v.Index] = FeedbackMapping.Receipt(v.Item.Id, await FeedbackMapping.ApplyAsync(grain, v.Item, http.RequestAborted), v.User);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One item's failure does not hide the others' acknowledgements; it is retried by its id.
                        var (status, title, detail) = ErrorHandling.Map(e);
                        results[v.Index] = new { id = v.Item.Id, user = v.User, status = "failed", error = new { status, title, detail } };
                    }
                }
            }));
            return Results.Json(new { results }, JsonBody.Options);
        });

        tenantApi.MapPut("/users/{user}/stated-preference", async (HttpContext http, IGrainFactory grains, EvaluatorHost evaluators, string user) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            Check.Id(user, "user");
            var body = await JsonBody.ReadAsync<StatedPreferenceRequest>(http, maxBody);
            string text = Check.Text(body.Text, "text", info.Settings.MaxTextLength);
            var profile = await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).SetStatedPreferenceAsync(text, http.RequestAborted);
            return Results.Json(ProfileView.Build(user, profile, await evaluators.GetAsync(http.RequestAborted)), JsonBody.Options);
        });

        tenantApi.MapPost("/users/{user}/score", async (HttpContext http, IGrainFactory grains, string user) =>
        {
            var (request, worker) = await ScoreRequestAsync(http, grains, user, maxBody, pairwise: false);
            long started = Stopwatch.GetTimestamp();
            var response = await worker.ScoreAsync(request, http.RequestAborted);
            Record("score", request, started);
            return Results.Json(ScoreView(response), JsonBody.Options);
        });

        tenantApi.MapPost("/users/{user}/compare", async (HttpContext http, IGrainFactory grains, string user) =>
        {
            var (request, worker) = await ScoreRequestAsync(http, grains, user, maxBody, pairwise: true);
            long started = Stopwatch.GetTimestamp();
            var response = await worker.CompareAsync(request, http.RequestAborted);
            Record("compare", request, started);
            return Results.Json(new { probability = response.Probability, score = ScoreView(response.Score) }, JsonBody.Options);
        });

        tenantApi.MapGet("/users/{user}/profile", async (HttpContext http, IGrainFactory grains, EvaluatorHost evaluators, string user) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            var profile = await KnownUserAsync(grains, info, user, http.RequestAborted);
            return Results.Json(ProfileView.Build(user, profile, await evaluators.GetAsync(http.RequestAborted)), JsonBody.Options);
        });

        tenantApi.MapGet("/users/{user}/export", async (HttpContext http, IGrainFactory grains, string user) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            await KnownUserAsync(grains, info, user, http.RequestAborted);
            var export = await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).ExportAsync(http.RequestAborted);
            return Results.Json(export, JsonBody.Options);
        });

        tenantApi.MapDelete("/users/{user}", async (HttpContext http, IGrainFactory grains, string user) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            await KnownUserAsync(grains, info, user, http.RequestAborted);
            await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).DeleteAsync(http.RequestAborted);
            return Results.NoContent();
        });

        tenantApi.MapGet("/prototypes", async (HttpContext http, IGrainFactory grains) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            // Read fresh from the tenant grain (not the request cache): a rare read, and it should show the last pass.
            var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).GetDirectoryAsync(http.RequestAborted);
            var summaries = await Task.WhenAll(Enumerable.Range(0, directory.Centroids.Count).Select(i =>
                grains.GetGrain<IPrototypeGrain>(GrainKeys.Prototype(info.Tenant, i)).GetSummaryAsync(http.RequestAborted)));
            return Results.Json(new
            {
                centroidVersion = directory.Version,
                prototypes = summaries.Select(s => new { index = s.Index, members = s.Members, spread = s.Spread, meanPairCount = s.MeanPairCount, version = s.Version }),
            }, JsonBody.Options);
        });

        tenantApi.MapGet("/prototypes/map", async (HttpContext http, IGrainFactory grains) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).GetDirectoryAsync(http.RequestAborted);
            return Results.Json(MapView(directory), JsonBody.Options);
        });

        tenantApi.MapPost("/prototypes/recluster", async (HttpContext http, IGrainFactory grains) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            var directory = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(info.Tenant)).ReclusterAsync(http.RequestAborted);
            return Results.Json(MapView(directory), JsonBody.Options);
        });

        app.MapPost("/get_reward", async (HttpContext http, IGrainFactory grains) =>
        {
            var info = ApiKeyAuthentication.Tenant(http);
            var body = await JsonBody.ReadAsync<RewardRequest>(http, maxBody);
            var rewards = await RewardEndpoint.ScoreAsync(body, info, options.RewardPromptSeparator, grains, http.RequestAborted);
            return Results.Json(new { rewards }, JsonBody.Options);
        }).WithMetadata(new EndpointAccess(AccessKind.Tenant, AllowQueryKey: true));
    }

    private static async Task<(ScoreRequest Request, IScoringWorker Worker)> ScoreRequestAsync(HttpContext http, IGrainFactory grains, string user, long maxBody, bool pairwise)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var s = info.Settings;
        Check.Id(user, "user");
        var body = await JsonBody.ReadAsync<ScoreHttpRequest>(http, maxBody);
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

        int? m = body.M is { } mv ? Check.Range(mv, "m", 1, 64) : null;
        int? n = body.N is { } nv ? Check.Range(nv, "n", 0, 256) : null;
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

    private static object MapView(PrototypeDirectory directory)
    {
        var (points, explained) = PrototypeMap.Project(directory.Centroids);
        return new
        {
            centroidVersion = directory.Version,
            explainedVariance = explained,
            points = points.Select((p, i) => new { index = i, x = p[0], y = p[1], size = i < directory.Counts.Count ? directory.Counts[i] : 0 }),
        };
    }

    private static object ScoreView(ScoreResponse r) => new
    {
        rewards = r.Rewards,
        preferredIndex = r.PreferredIndex,
        itemIds = r.ItemIds,
        coldStart = r.IsColdStart,
        prototype = r.Prototype,
        m = r.M,
        n = r.N,
        neighbours = r.Neighbours,
        agreement = r.Agreement,
        modelVersion = r.ModelVersion,
        criteriaBankVersion = r.CriteriaBankVersion,
        chain = r.ChainJson is null ? (JsonElement?)null : JsonDocument.Parse(r.ChainJson).RootElement.Clone(),
        evaluator = r.Evaluator,
        fallback = r.Fallback,
        llm = r.LlmTraceJson is null ? (JsonElement?)null : JsonDocument.Parse(r.LlmTraceJson).RootElement.Clone(),
    };

    private static async Task<UserProfile> KnownUserAsync(IGrainFactory grains, TenantInfo info, string user, CancellationToken cancellationToken)
    {
        Check.Id(user, "user");
        var profile = await grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)).GetProfileAsync(cancellationToken);
        return ProfileView.IsUnknown(profile)
            ? throw new ApiException(404, "Not found", $"User '{user}' has no feedback or stated preference in tenant '{info.Tenant}'.")
            : profile;
    }

    private static TenantSettings Settings(TenantSettingsRequest? request, TenantSettings? current = null)
    {
        var settings = current?.WithEvaluatorDefaults() ?? new TenantSettings();
        if (request is not null)
        {
            settings = settings with
            {
                Prototypes = request.Prototypes ?? settings.Prototypes,
                M = request.M ?? settings.M,
                N = request.N ?? settings.N,
                MaxCandidates = request.MaxCandidates ?? settings.MaxCandidates,
                MaxTextLength = request.MaxTextLength ?? settings.MaxTextLength,
                MaxBatch = request.MaxBatch ?? settings.MaxBatch,
                RequestsPerSecond = request.RequestsPerSecond ?? settings.RequestsPerSecond,
                ReclusterAfterMoves = request.ReclusterAfterMoves ?? settings.ReclusterAfterMoves,
                MaxUsersPerRewardRequest = request.MaxUsersPerRewardRequest ?? settings.MaxUsersPerRewardRequest,
                Evaluator = request.Evaluator ?? settings.Evaluator,
                LlmEndpoint = request.LlmEndpoint ?? settings.LlmEndpoint,
                LlmModel = request.LlmModel ?? settings.LlmModel,
                LlmMaxM = request.LlmMaxM ?? settings.LlmMaxM,
                LlmMaxN = request.LlmMaxN ?? settings.LlmMaxN,
                LlmMaxConcurrency = request.LlmMaxConcurrency ?? settings.LlmMaxConcurrency,
                LlmFallback = request.LlmFallback ?? settings.LlmFallback,
                LlmMaxOutputTokens = request.LlmMaxOutputTokens ?? settings.LlmMaxOutputTokens,
            };
        }

        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw Check.Bad($"settings.{e.Message}");
        }

        return settings;
    }
}

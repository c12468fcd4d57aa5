using Microsoft.AspNetCore.Http.HttpResults;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>Feedback: one item for a user, or a batch across users.</summary>
internal static class FeedbackApi
{
    /// <summary>Maps the feedback routes under the tenant group.</summary>
    public static void MapFeedbackApi(this RouteGroupBuilder tenant)
    {
        var api = tenant.MapGroup("").WithTags("Feedback").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/users/{user}/feedback", ApplyFeedbackAsync)
            .WithName(nameof(ApplyFeedbackAsync)).WithSummary("Record one preference (a pair or ratings); idempotent by its id")
            .ReadsJson<FeedbackRequest>();
        api.MapPost("/feedback/batch", ApplyBatchAsync)
            .WithName(nameof(ApplyBatchAsync)).WithSummary("Record feedback items of several users; all validated before any is applied")
            .ReadsJson<FeedbackBatchRequest>();
    }

    /// <summary>POST /v1/tenants/{tenant}/users/{user}/feedback.</summary>
    public static async Task<Ok<FeedbackResult>> ApplyFeedbackAsync(HttpContext http, IGrainFactory grains, TimeProvider time, string user)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        Check.Id(user, "user");
        var body = await JsonBody.ReadAsync<FeedbackRequest>(http);
        if (body.User is not null && body.User != user)
        {
            throw Check.Bad($"'user' in the body ('{body.User}') differs from the user in the path ('{user}').");
        }

        var item = FeedbackMapping.Validate(body, info.Settings, "", time);
        var receipt = await FeedbackMapping.ApplyAsync(grains.GetGrain<IUserGrain>(GrainKeys.User(info.Tenant, user)), item, http.RequestAborted);
        return TypedResults.Ok(FeedbackMapping.Receipt(item.Id, receipt));
    }

    /// <summary>POST /v1/tenants/{tenant}/feedback/batch.</summary>
    public static async Task<Ok<FeedbackBatchResponse>> ApplyBatchAsync(HttpContext http, IGrainFactory grains, TimeProvider time)
    {
        var info = ApiKeyAuthentication.Tenant(http);
        var body = await JsonBody.ReadAsync<FeedbackBatchRequest>(http);
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

        var results = new FeedbackResult[validated.Count];
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
                    results[v.Index] = new FeedbackResult(v.Item.Id, v.User, FeedbackResult.Failed, null, new FeedbackError(status, title, detail));
                }
            }
        }));
        return TypedResults.Ok(new FeedbackBatchResponse(results));
    }
}

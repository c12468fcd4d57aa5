using Polly;
using Polly.Retry;

namespace PGenRM.Host.Api;

/// <summary>
/// Re-runs a request whose grain call failed transiently (<see cref="TransientErrors"/>), on the routes where running
/// it twice is safe: reads (GET, score, compare, /get_reward), feedback (idempotent by its id) and the stated
/// preference (a PUT of a value). Up to 3 retries with jittered exponential backoff from 200 ms (about 1.5 s in all:
/// long enough for a moved activation, short against a client's timeout); what still fails becomes a 503 with
/// Retry-After in <see cref="ErrorHandling"/>. Creating a tenant, deleting a user and re-clustering are not retried
/// here (a second run could answer differently); they get the 503 and the client decides.
/// </summary>
internal sealed class TransientRetry(RequestDelegate next)
{
    private static readonly ResiliencePropertyKey<HttpContext> HttpContextKey = new("pgenrm.http");

    // A retry only while nothing of the response was sent (handlers write their result after the grain calls).
    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && TransientErrors.IsTransient(e) &&
                !args.Context.Properties.GetValue(HttpContextKey, null!).Response.HasStarted),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    private static readonly string[] SafePostSuffixes = ["/feedback", "/feedback/batch", "/score", "/compare", "/get_reward", "/stated-preference"];

    /// <summary>Invokes the rest of the pipeline, retrying where safe.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsSafe(context))
        {
            await next(context);
            return;
        }

        // The body is read again by a retry.
        context.Request.EnableBuffering();
        var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
        resilience.Properties.Set(HttpContextKey, context);
        try
        {
            await Pipeline.ExecuteAsync(
                static async (r, next) =>
                {
                    var http = r.Properties.GetValue(HttpContextKey, null!);
                    http.Request.Body.Position = 0;
                    await next(http);
                },
                resilience,
                next);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private static bool IsSafe(HttpContext context)
    {
        string method = context.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            return true;
        }

        string? pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        return pattern is not null && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method)) &&
            SafePostSuffixes.Any(s => pattern.EndsWith(s, StringComparison.Ordinal));
    }
}

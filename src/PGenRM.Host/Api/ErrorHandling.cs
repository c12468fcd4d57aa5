using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api;

/// <summary>
/// Turns every exception of a request into problem details: client mistakes into their 4xx with a message, grain
/// exceptions by type (InvalidRequestException 400, KeyNotFoundException 404, TenantExistsException 409; an
/// ArgumentException is a bug, 500), transient cluster
/// and storage failures (<see cref="TransientErrors"/>) into 503 with Retry-After, anything else into a 500 without
/// internals. A handler never returns a reward after an error: the error replaces the whole response.
/// </summary>
internal sealed partial class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> logger)
{
    /// <summary>Runs the rest of the pipeline and maps what it throws.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !(e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            var (status, title, detail) = Map(e);
            if (status >= 500)
            {
                LogServerError(e, context.Request.Method, context.Request.Path);
            }

            context.Response.Clear();
            int? retryAfter = e is ApiException { RetryAfterSeconds: { } seconds } ? seconds
                : status == StatusCodes.Status503ServiceUnavailable ? TransientErrors.RetryAfterSeconds : null;
            if (retryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, status, title, detail);
        }
    }

    /// <summary>Writes a problem-details response.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Problem(context, status, title, detail).ExecuteAsync(context);
    }

    /// <summary>The problem-details result every error of the API is written as (a handler may also return it).</summary>
    public static ProblemHttpResult Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path });

    internal static (int Status, string Title, string Detail) Map(Exception e) => e switch
    {
        ApiException api => (api.Status, api.Title, api.Message),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (413, "Request body too large", bad.Message),
        BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
        InvalidRequestException invalid => (400, "Invalid request", invalid.Message),
        KeyNotFoundException missing => (404, "Not found", missing.Message),
        TenantExistsException exists => (409, "Conflict", exists.Message),
        JudgeUnavailableException judge => (502, "Judge model unavailable", judge.Message),
        _ when TransientErrors.IsTransient(e) => (503, "Service unavailable", "A part of the cluster or its storage is unavailable for the moment; retry later."),
        _ => (500, "Internal server error", "The service failed to process the request; the error was logged."),
    };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogServerError(Exception exception, string method, string path);
}

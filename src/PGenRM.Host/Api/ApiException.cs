namespace PGenRM.Host.Api;

/// <summary>A client error with its HTTP status, raised by the API layer and written as problem details.</summary>
/// <param name="status">HTTP status (4xx).</param>
/// <param name="title">Short, fixed title of the problem kind.</param>
/// <param name="detail">What exactly was wrong.</param>
/// <param name="retryAfterSeconds">Sent as Retry-After when set (429, 503).</param>
public sealed class ApiException(int status, string title, string detail, int? retryAfterSeconds = null) : Exception(detail)
{
    /// <summary>Seconds for the Retry-After header, or null for none.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Problem title.</summary>
    public string Title { get; } = title;
}

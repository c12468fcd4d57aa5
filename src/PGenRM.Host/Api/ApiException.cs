namespace PGenRM.Host.Api;

/// <summary>A client error with its HTTP status, raised by the API layer and written as problem details.</summary>
/// <param name="status">HTTP status (4xx).</param>
/// <param name="title">Short, fixed title of the problem kind.</param>
/// <param name="detail">What exactly was wrong.</param>
public sealed class ApiException(int status, string title, string detail) : Exception(detail)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Problem title.</summary>
    public string Title { get; } = title;
}

namespace PGenRM.Cli;

/// <summary>The service answered with an error status.</summary>
internal sealed class ServiceException(int status, string detail) : Exception($"HTTP {status}: {detail}")
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;
}

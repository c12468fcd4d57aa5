using System.Net;
using System.Threading.RateLimiting;

namespace PGenRM.Host.Api;

/// <summary>
/// Limits failed authentications per client address (a fixed window of <see cref="Hosting.ServiceOptions.AuthFailuresPerMinute"/>
/// per minute): once an address used them up, its keyed requests are answered 429 with Retry-After before any key is
/// looked up, so guessing keys or tenants costs the service nothing until the window ends. Successful requests do
/// not count. The partitions are System.Threading.RateLimiting limiters, which drop idle ones by themselves.
/// </summary>
internal sealed class AuthFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    /// <summary>Creates the limiter with <paramref name="failuresPerMinute"/> failures allowed per address and minute.</summary>
    public AuthFailureLimiter(int failuresPerMinute) =>
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Throws the 429 when <paramref name="context"/>'s address has no failures left.</summary>
    public void ThrowIfBlocked(HttpContext context)
    {
        if (_limiter.GetStatistics(Address(context))?.CurrentAvailablePermits == 0)
        {
            throw new ApiException(429, "Too many requests", "Too many failed authentications from this address; retry later.", 60);
        }
    }

    /// <summary>Counts a failed authentication of <paramref name="context"/>'s address.</summary>
    public void Failed(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(Address(context));
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    private static IPAddress Address(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;
}

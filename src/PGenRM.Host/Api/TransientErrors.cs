using Orleans.Runtime;

namespace PGenRM.Host.Api;

/// <summary>
/// The one place that says which failures are a passing state of the cluster or its storage (a silo died or is
/// unreachable, an activation moved, a call timed out, storage did not answer) rather than a fault of the request:
/// <see cref="TransientRetry"/> retries them on safe routes, <see cref="ErrorHandling"/> answers them 503 with
/// Retry-After.
/// </summary>
internal static class TransientErrors
{
    /// <summary>Seconds a client should wait before retrying a 503 (the Retry-After header).</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>Whether <paramref name="exception"/> or one it wraps is transient.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // SiloUnavailableException derives from OrleansMessageRejectionException ("Unable to connect", a dead
                // silo's forwarded or rejected messages, a moved activation).
                case OrleansMessageRejectionException or GatewayTooBusyException or ClientNotAvailableException:
                case TimeoutException:
                case Azure.RequestFailedException { Status: 0 or >= 500 }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.All(IsTransient);
            }
        }

        return false;
    }
}

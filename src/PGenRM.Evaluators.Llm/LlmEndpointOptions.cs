namespace PGenRM.Evaluators.Llm;

/// <summary>An OpenAI-compatible judge endpoint (configuration section <c>PGenRM:Llm:Endpoints:{name}</c>).</summary>
public sealed record LlmEndpointOptions
{
    /// <summary>The endpoint's name (what tenants refer to).</summary>
    public string Name { get; init; } = "default";

    /// <summary>Base URL including the API version path, for example <c>http://127.0.0.1:8000/v1</c>.</summary>
    public Uri Endpoint { get; init; } = new("http://127.0.0.1:8000/v1");

    /// <summary>The API key (from configuration or a secret; never stored in tenant state, never logged). Empty for none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Timeout of one attempt (a chain of ~3k tokens takes tens of seconds on one GPU).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Timeout of a request with all its retries.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Retries on 408/429/5xx, timeouts and connection failures.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Base delay of the exponential backoff (a Retry-After header overrides it).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests the circuit breaker must see in its window before it may open.</summary>
    public int BreakerMinimumThroughput { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("Name must be set.", nameof(Name));
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Endpoint must be an absolute http(s) URL, got '{Endpoint}'.", nameof(Endpoint));
        }

        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            throw new ArgumentException("AttemptTimeout must be positive and TotalTimeout at least AttemptTimeout.", nameof(AttemptTimeout));
        }

        if (MaxRetries is < 1 or > 10)
        {
            throw new ArgumentException($"MaxRetries must be 1–10, got {MaxRetries}.", nameof(MaxRetries));
        }

        if (BreakerMinimumThroughput < 2)
        {
            throw new ArgumentException($"BreakerMinimumThroughput must be at least 2, got {BreakerMinimumThroughput}.", nameof(BreakerMinimumThroughput));
        }
    }
}

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// A judge endpoint (configuration section <c>PGenRM:Llm:Endpoints:{name}</c>): an OpenAI-compatible server at
/// <see cref="Endpoint"/>, or, when <see cref="ModelPath"/> is set, a model run on the silo itself by ONNX Runtime GenAI.
/// </summary>
public sealed record LlmEndpointOptions
{
    /// <summary>The <see cref="ExecutionProvider"/> value for ONNX Runtime's default CPU provider.</summary>
    public const string CpuProvider = "cpu";

    /// <summary>The <see cref="ExecutionProvider"/> value for CUDA (a GPU build, see README).</summary>
    public const string CudaProvider = "cuda";

    /// <summary>The endpoint's name (what tenants refer to).</summary>
    public string Name { get; init; } = "default";

    /// <summary>Base URL including the API version path, for example <c>http://127.0.0.1:8000/v1</c>.</summary>
    public Uri Endpoint { get; init; } = new("http://127.0.0.1:8000/v1");

    /// <summary>
    /// A folder holding an ONNX Runtime GenAI model (genai_config.json, the ONNX decoder, the tokenizer) to run on the
    /// silo instead of calling <see cref="Endpoint"/>; null for an HTTP endpoint.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>The execution provider of <see cref="ModelPath"/>: <c>cuda</c> or <c>cpu</c>; null keeps the model's own genai_config.json choice.</summary>
    public string? ExecutionProvider { get; init; }

    /// <summary>Whether the judge runs on this silo (<see cref="ModelPath"/> set) rather than behind <see cref="Endpoint"/>.</summary>
    public bool IsLocal => ModelPath is not null;

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

        if (ModelPath is not null && !File.Exists(Path.Combine(ModelPath, "genai_config.json")))
        {
            throw new ArgumentException(
                $"ModelPath must be a folder holding an ONNX Runtime GenAI model (genai_config.json); '{ModelPath}' has none.", nameof(ModelPath));
        }

        if (ExecutionProvider is not (null or CpuProvider or CudaProvider))
        {
            throw new ArgumentException($"ExecutionProvider must be '{CpuProvider}' or '{CudaProvider}', got '{ExecutionProvider}'.", nameof(ExecutionProvider));
        }

        if (ExecutionProvider is not null && ModelPath is null)
        {
            throw new ArgumentException("ExecutionProvider applies to a ModelPath only; an HTTP endpoint chooses its own device.", nameof(ExecutionProvider));
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

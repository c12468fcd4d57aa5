using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using OpenAI;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// One OpenAI-compatible endpoint (vLLM, SGLang, Ollama, llama.cpp server, Azure OpenAI's v1 route): an OpenAI client whose
/// transport is an <see cref="HttpClient"/> with Microsoft.Extensions.Http.Resilience's standard pipeline (total and
/// per-attempt timeouts, retries on 408/429/5xx with exponential backoff that honours Retry-After, circuit breaker).
/// The SDK's own retries are off so that one policy decides. The API key lives only here, from configuration.
/// With <see cref="LlmEndpointOptions.ModelPath"/> the endpoint is instead a model on this silo (<see cref="Local"/>).
/// </summary>
public sealed class LlmEndpoint : IDisposable
{
    private readonly ServiceProvider? _services;
    private readonly LocalJudgeModel? _local;

    /// <summary>Creates the endpoint's HTTP pipeline and client, or the local model (loaded on first use).</summary>
    public LlmEndpoint(LlmEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        if (options.IsLocal)
        {
            _local = new LocalJudgeModel(options);
            return;
        }

        var services = new ServiceCollection();
        services.AddHttpClient(options.Name)
            .AddStandardResilienceHandler(r =>
            {
                r.TotalRequestTimeout.Timeout = options.TotalTimeout;
                r.AttemptTimeout.Timeout = options.AttemptTimeout;
                r.Retry.MaxRetryAttempts = options.MaxRetries;
                r.Retry.Delay = options.RetryDelay;
                r.Retry.ShouldRetryAfterHeader = true;

                // The breaker's window must be at least twice an attempt (the library validates it).
                r.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? options.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
                r.CircuitBreaker.MinimumThroughput = options.BreakerMinimumThroughput;
            });
        _services = services.BuildServiceProvider();
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(options.Name);
        http.Timeout = Timeout.InfiniteTimeSpan;
        OpenAi = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = options.Endpoint,
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = Timeout.InfiniteTimeSpan,
            });
    }

    /// <summary>The endpoint's options (the API key included: do not log them).</summary>
    public LlmEndpointOptions Options { get; }

    /// <summary>The OpenAI client over the resilient pipeline; null for a local model.</summary>
    public OpenAIClient? OpenAi { get; }

    /// <summary>The model on this silo (ONNX Runtime GenAI's chat client, loaded on first use); null for an HTTP endpoint.</summary>
    public IChatClient? Local => _local;

    /// <inheritdoc />
    public void Dispose()
    {
        _services?.Dispose();
        _local?.Dispose();
    }
}

using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// A judge model on the silo's own device: ONNX Runtime GenAI's <see cref="OnnxRuntimeGenAIChatClient"/> over a model
/// folder (genai_config.json, the ONNX decoder, the tokenizer), loaded on the first chain rather than at startup (a judge
/// of several GB should not hold up a silo that may never score with it). A model that cannot be loaded makes every
/// judgment an <see cref="LlmJudgeException"/> naming the folder — the same error a failing HTTP endpoint gives.
/// </summary>
internal sealed class LocalJudgeModel : IChatClient
{
    private readonly LlmEndpointOptions _options;
    private readonly Lazy<IChatClient> _client;

    public LocalJudgeModel(LlmEndpointOptions options)
    {
        _options = options;
        _client = new Lazy<IChatClient>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(LocalJudgeModel) ? this : _client.IsValueCreated ? _client.Value.GetService(serviceType, serviceKey) : null;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private IChatClient Load()
    {
        Config? config = null;
        try
        {
            config = new Config(_options.ModelPath!);
            if (_options.ExecutionProvider is string provider)
            {
                // "cpu" is ONNX Runtime's default: no provider appended. Otherwise the model's genai_config.json choice is
                // replaced by the one configured for this silo.
                config.ClearProviders();
                if (provider != LlmEndpointOptions.CpuProvider)
                {
                    config.AppendProvider(provider);
                }
            }

            return new OnnxRuntimeGenAIChatClient(config, ownsConfig: true, new OnnxRuntimeGenAIChatClientOptions());
        }
        catch (Exception e) when (e is OnnxRuntimeGenAIException or DllNotFoundException or EntryPointNotFoundException)
        {
            config?.Dispose();
            throw new LlmJudgeException($"The local judge model in '{_options.ModelPath}' could not be loaded: {e.Message}", e);
        }
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// The individual level's m chains in one request with the OpenAI <c>n</c> parameter, so the server shares the prompt's
/// prefix (the release's vLLM setting). The OpenAI .NET SDK keeps <c>ChatCompletionOptions.N</c> internal and its
/// convenience layer reads only the first choice, so this goes through the SDK's protocol method (same client, same
/// resilient pipeline) — the route the SDK's maintainers give for <c>n</c> (openai/openai-dotnet#143). When the endpoint
/// refuses <c>n</c> (400/422) or returns a single choice, it remembers that and falls back to one request per chain.
/// </summary>
internal sealed class OpenAiNSampler(OpenAI.Chat.ChatClient raw, IChainSampler single, LlmJudgeOptions options, SemaphoreSlim gate, LlmMetrics metrics)
    : IChainSampler
{
    private readonly KeyValuePair<string, object?> _modelTag = new("model", options.Model);
    private volatile bool _unsupported;

    /// <summary>False once the endpoint showed that it does not honour <c>n</c>.</summary>
    public bool Supported => !_unsupported;

    public async Task<SampleBatch> SampleAsync(IReadOnlyList<ChatMessage> messages, int count, CancellationToken cancellationToken)
    {
        if (count == 1 || _unsupported)
        {
            return await single.SampleAsync(messages, count, cancellationToken).ConfigureAwait(false);
        }

        ClientResult result;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = BinaryContent.Create(BinaryData.FromBytes(Body(messages, count)));
            result = await raw.CompleteChatAsync(content, new RequestOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
        }
        catch (ClientResultException ex) when (ex.Status is 400 or 422)
        {
            _unsupported = true;
            result = null!;
        }
        finally
        {
            gate.Release();
        }

        metrics.Requests.Add(1, _modelTag);
        if (_unsupported && result is null)
        {
            var alone = await single.SampleAsync(messages, count, cancellationToken).ConfigureAwait(false);
            return alone with { Requests = alone.Requests + 1, OneRequest = false };
        }

        metrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _modelTag);
        var (texts, input, output) = Read(result.GetRawResponse().Content);
        if (texts.Count >= count)
        {
            return new SampleBatch(texts.Take(count).ToList(), input, output, 1, true);
        }

        // Fewer choices than asked: a server that ignores n. Draw the rest one by one from now on.
        if (texts.Count <= 1)
        {
            _unsupported = true;
        }

        var rest = await single.SampleAsync(messages, count - texts.Count, cancellationToken).ConfigureAwait(false);
        return new SampleBatch([.. texts, .. rest.Texts], input + rest.InputTokens, output + rest.OutputTokens, 1 + rest.Requests, false);
    }

    private byte[] Body(IReadOnlyList<ChatMessage> messages, int count)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", options.Model);
            w.WriteStartArray("messages");
            foreach (var m in messages)
            {
                w.WriteStartObject();
                w.WriteString("role", m.Role.Value);
                w.WriteString("content", m.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("temperature", options.Temperature);
            w.WriteNumber("max_tokens", options.MaxOutputTokens);
            w.WriteNumber("n", count);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static (List<string> Texts, long Input, long Output) Read(BinaryData content)
    {
        using var document = JsonDocument.Parse(content.ToMemory());
        var root = document.RootElement;
        var texts = new List<string>();
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var text)
                    && text.ValueKind == JsonValueKind.String)
                {
                    texts.Add(text.GetString()!);
                }
            }
        }

        long input = 0, output = 0;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            input = usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var pi) ? pi : 0;
            output = usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt64(out var ci) ? ci : 0;
        }

        return (texts, input, output);
    }
}

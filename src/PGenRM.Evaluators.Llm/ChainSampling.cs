using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace PGenRM.Evaluators.Llm;

/// <summary>Texts of sampled chains for one prompt, with what they cost.</summary>
internal sealed record SampleBatch(IReadOnlyList<string> Texts, long InputTokens, long OutputTokens, int Requests, bool OneRequest);

/// <summary>Draws <c>count</c> answers to one prompt.</summary>
internal interface IChainSampler
{
    Task<SampleBatch> SampleAsync(IReadOnlyList<ChatMessage> messages, int count, CancellationToken cancellationToken);
}

/// <summary>
/// Any <see cref="IChatClient"/> (OpenAI-compatible endpoint, ONNX Runtime GenAI, …): one request per answer, at most the
/// judge's concurrency limit in flight; the first failure cancels the others.
/// </summary>
internal sealed class ChatClientSampler(IChatClient client, LlmJudgeOptions options, SemaphoreSlim gate, LlmMetrics metrics) : IChainSampler
{
    private readonly KeyValuePair<string, object?> _modelTag = new("model", options.Model);

    public async Task<SampleBatch> SampleAsync(IReadOnlyList<ChatMessage> messages, int count, CancellationToken cancellationToken)
    {
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = Enumerable.Range(0, count).Select(_ => OneAsync(messages, failFast)).ToArray();
        try
        {
            var results = await Task.WhenAll(tasks).ConfigureAwait(false);
            return new SampleBatch(
                results.Select(r => r.Text).ToList(), results.Sum(r => r.In), results.Sum(r => r.Out), count, count == 1);
        }
        catch
        {
            // Task.WhenAll rethrows the first fault; the caller's cancellation outranks the fail-fast cancellations it caused.
            cancellationToken.ThrowIfCancellationRequested();
            var first = tasks.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException;
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }
    }

    private async Task<(string Text, long In, long Out)> OneAsync(IReadOnlyList<ChatMessage> messages, CancellationTokenSource failFast)
    {
        await gate.WaitAsync(failFast.Token).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var chatOptions = new ChatOptions
            {
                ModelId = options.Model,
                Temperature = options.Temperature,
                MaxOutputTokens = options.MaxOutputTokens,
            };
            var response = await client.GetResponseAsync(messages, chatOptions, failFast.Token).ConfigureAwait(false);
            metrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _modelTag);
            metrics.Requests.Add(1, _modelTag);
            return (response.Text, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        }
        catch when (!failFast.IsCancellationRequested)
        {
            await failFast.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }
}

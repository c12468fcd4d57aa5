using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Micro-batches texts from concurrent callers. A single consumer loop on its own thread drains the channel (waiting a short
/// window for more when the previous drain showed concurrent callers), tokenizes, drops duplicate texts, sorts by length, cuts batches capped by count and by padded
/// tokens, runs them and completes the callers. Inference never runs on a caller's thread, and a long ONNX run never holds
/// a thread-pool thread (the silo's scheduler shares that pool).
/// </summary>
internal sealed partial class EncodingBatcher : IDisposable
{
    private readonly Func<string, int[]> _tokenize;
    private readonly Func<IReadOnlyList<int[]>, float[][]> _infer;
    private readonly EmbeddingCache? _cache;
    private readonly int _maxBatchCount;
    private readonly int _maxPaddedTokens;
    private readonly double _maxPaddingShare;
    private readonly int _maxTextsPerDrain;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly Channel<EncodeRequest> _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private int _disposed;

    /// <param name="tokenize">Text to token ids (with special tokens, already truncated); called on the loop thread only.</param>
    /// <param name="infer">Token id arrays to one embedding each; called on the loop thread only.</param>
    /// <param name="cache">Receives every computed embedding; null when caching is off.</param>
    /// <param name="maxBatchCount">Most texts per <paramref name="infer"/> call.</param>
    /// <param name="maxPaddedTokens">Most padded tokens (count × longest) per <paramref name="infer"/> call.</param>
    /// <param name="maxPaddingShare">Largest share of a batch's padded tokens that may be padding (1 = no limit).</param>
    /// <param name="window">How long the loop waits for more requests before running, when callers were concurrent.</param>
    /// <param name="logger">Logger for batch failures.</param>
    public EncodingBatcher(
        Func<string, int[]> tokenize,
        Func<IReadOnlyList<int[]>, float[][]> infer,
        EmbeddingCache? cache,
        int maxBatchCount,
        int maxPaddedTokens,
        double maxPaddingShare,
        TimeSpan window,
        ILogger logger)
    {
        _tokenize = tokenize;
        _infer = infer;
        _cache = cache;
        _maxBatchCount = maxBatchCount;
        _maxPaddedTokens = maxPaddedTokens;
        _maxPaddingShare = maxPaddingShare;
        // Draining several batches' worth before sorting lowers padding; more only delays the first callers.
        _maxTextsPerDrain = checked(maxBatchCount * 8);
        _window = window;
        _logger = logger;
        // Several readers allowed only because an abandoned timed wait may still be registered when the loop waits again.
        _channel = Channel.CreateUnbounded<EncodeRequest>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "PGenRM encoder batching loop" };
        _thread.Start();
    }

    /// <summary>Managed thread id of the loop (tests check that inference runs there).</summary>
    public int LoopThreadId => _thread.ManagedThreadId;

    /// <summary>Queues all <paramref name="texts"/> at once and returns their embeddings in order.</summary>
    public async Task<float[][]> SubmitAsync(string[] texts, EmbeddingCacheKey[] keys, CancellationToken cancellationToken)
    {
        var request = new EncodeRequest(texts, keys);
        if (!_channel.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(OnnxSentenceEncoder));
        }

        // Cancelling abandons the wait; the loop skips requests that are already completed.
        using var registration = cancellationToken.Register(
            static state => ((EncodeRequest)state!).Completion.TrySetCanceled(), request);
        try
        {
            return await request.Completion.Task.ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>Stops the loop after the batch in progress; queued requests fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Cancel before completing the channel: once a submission is refused, the loop is certain to start no new run.
        _stopping.Cancel();
        _channel.Writer.TryComplete();
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join();
        }

        _stopping.Dispose();
    }

    private void RunLoop()
    {
        var reader = _channel.Reader;
        var pending = new List<EncodeRequest>();
        var callersWereConcurrent = false;
        try
        {
            while (!_stopping.IsCancellationRequested && WaitToRead(reader, Timeout.InfiniteTimeSpan, _stopping.Token))
            {
                var texts = Drain(reader, pending, 0);
                if (_window > TimeSpan.Zero && texts < _maxBatchCount && callersWereConcurrent)
                {
                    // Give concurrent callers a moment to join this batch. Only while traffic is concurrent: a lone
                    // sequential caller would pay the window on every call for nothing (about -25 % at batch 1).
                    var deadline = Stopwatch.GetTimestamp() + (long)(_window.TotalSeconds * Stopwatch.Frequency);
                    while (texts < _maxBatchCount)
                    {
                        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                        if (left <= TimeSpan.Zero || !WaitToRead(reader, left, _stopping.Token))
                        {
                            break;
                        }

                        texts = Drain(reader, pending, texts);
                    }
                }

                callersWereConcurrent = pending.Count > 1;
                try
                {
                    Process(pending);
                }
                catch (Exception ex)
                {
                    // Process() handles per-batch failures already; anything else fails this drain, not the loop.
                    LogDrainFailed(ex, pending.Count);
                    FailAll(pending, ex);
                }
                finally
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        // Process() stops between batches when disposing: whatever it did not finish fails now.
                        FailAll(pending, new ObjectDisposedException(nameof(OnnxSentenceEncoder)));
                    }

                    pending.Clear();
                }
            }
        }
        catch (Exception ex)
        {
            // Only the channel plumbing can get here, which is a bug. Fail everyone rather than hang them.
            LogLoopFailed(ex);
            FailAll(pending, ex);
        }
        finally
        {
            _channel.Writer.TryComplete();
            var disposed = new ObjectDisposedException(nameof(OnnxSentenceEncoder));
            FailAll(pending, disposed);
            while (reader.TryRead(out var request))
            {
                request.Fail(disposed);
            }
        }
    }

    private int Drain(ChannelReader<EncodeRequest> reader, List<EncodeRequest> pending, int texts)
    {
        while (texts < _maxTextsPerDrain && reader.TryRead(out var request))
        {
            if (!request.IsCompleted)
            {
                pending.Add(request);
                texts += request.Texts.Length;
            }
        }

        return texts;
    }

    private void Process(List<EncodeRequest> requests)
    {
        // Duplicate texts (same key) across all pending requests are encoded once.
        var unique = new Dictionary<EmbeddingCacheKey, WorkItem>();
        var items = new List<WorkItem>();
        foreach (var request in requests)
        {
            if (request.IsCompleted)
            {
                continue;
            }

            for (var i = 0; i < request.Texts.Length; i++)
            {
                if (!unique.TryGetValue(request.Keys[i], out var item))
                {
                    item = new WorkItem(request.Keys[i], request.Texts[i]);
                    unique.Add(item.Key, item);
                    items.Add(item);
                }

                item.Waiters.Add((request, i));
            }
        }

        var tokenized = new List<WorkItem>(items.Count);
        foreach (var item in items)
        {
            try
            {
                item.TokenIds = _tokenize(item.Text);
                tokenized.Add(item);
            }
            catch (Exception ex)
            {
                item.Fail(ex);
            }
        }

        var plan = BatchPlanner.Plan(
            tokenized.Select(t => t.TokenIds.Length).ToArray(), _maxBatchCount, _maxPaddedTokens, _maxPaddingShare);
        foreach (var indices in plan)
        {
            if (_stopping.IsCancellationRequested)
            {
                // Disposing: do not start more ONNX runs; the finally block in RunLoop fails what is left.
                return;
            }

            // Skip texts whose callers have all cancelled (or failed) meanwhile.
            var batch = indices.Select(i => tokenized[i]).Where(t => !t.IsAbandoned).ToList();
            if (batch.Count == 0)
            {
                continue;
            }

            float[][] embeddings;
            try
            {
                long started = Stopwatch.GetTimestamp();
                embeddings = _infer(batch.Select(t => t.TokenIds).ToList());
                EncoderMetrics.BatchSize.Record(batch.Count);
                EncoderMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                if (embeddings.Length != batch.Count)
                {
                    throw new InvalidOperationException(
                        $"Inference returned {embeddings.Length} embeddings for a batch of {batch.Count} texts.");
                }
            }
            catch (Exception ex)
            {
                LogBatchFailed(ex, batch.Count, batch.Max(t => t.TokenIds.Length));
                foreach (var item in batch)
                {
                    item.Fail(ex);
                }

                continue;
            }

            for (var b = 0; b < batch.Count; b++)
            {
                _cache?.Add(batch[b].Key, embeddings[b]);
                batch[b].Complete(embeddings[b]);
            }
        }
    }

    private static void FailAll(List<EncodeRequest> requests, Exception exception)
    {
        foreach (var request in requests)
        {
            request.Fail(exception);
        }
    }

    private static bool WaitToRead(ChannelReader<EncodeRequest> reader, TimeSpan timeout, CancellationToken stopping)
    {
        var wait = reader.WaitToReadAsync(stopping);
        if (wait.IsCompletedSuccessfully)
        {
            return wait.Result;
        }

        // This thread exists to block, so waiting synchronously is the point (no sync context to deadlock on).
        var task = wait.AsTask();
        try
        {
            return task.Wait(timeout) && task.Result;
        }
        catch (AggregateException) when (task.IsCanceled)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error,
        Message = "Encoding a batch of {BatchCount} texts (longest {MaxTokens} tokens) failed; its callers get the exception")]
    private partial void LogBatchFailed(Exception exception, int batchCount, int maxTokens);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error,
        Message = "Preparing {RequestCount} encode requests failed; those callers get the exception")]
    private partial void LogDrainFailed(Exception exception, int requestCount);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Critical, Message = "The encoder batching loop failed and stopped")]
    private partial void LogLoopFailed(Exception exception);

    private sealed class WorkItem(EmbeddingCacheKey key, string text)
    {
        public EmbeddingCacheKey Key { get; } = key;

        public string Text { get; } = text;

        public int[] TokenIds { get; set; } = [];

        public List<(EncodeRequest Request, int Index)> Waiters { get; } = new(1);

        public bool IsAbandoned => Waiters.TrueForAll(w => w.Request.IsCompleted);

        public void Complete(float[] embedding)
        {
            // The first waiter takes the computed array; the others (and the cache) get their own copies.
            for (var i = 0; i < Waiters.Count; i++)
            {
                var (request, index) = Waiters[i];
                request.SetResult(index, i == 0 ? embedding : (float[])embedding.Clone());
            }
        }

        public void Fail(Exception exception)
        {
            foreach (var (request, _) in Waiters)
            {
                request.Fail(exception);
            }
        }
    }
}

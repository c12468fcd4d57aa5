using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Derived;

/// <summary>
/// A silo's derived-statistics pipeline: user grains post their item judgments once the feedback's log row is durable
/// and return; this service aggregates them per item and flushes batches to the item grains every
/// <see cref="DerivedStatsOptions.FlushJudgments"/> judgments or <see cref="DerivedStatsOptions.FlushInterval"/>,
/// whichever comes first. Nothing on the acknowledgment path waits for an item.
/// </summary>
/// <remarks>
/// <para>The queue is bounded: when it is full, <see cref="PostAsync"/> waits (back-pressure on the posting user grain,
/// whose acknowledgment slows), nothing is dropped. A flush sends one batch per item, all items at once, and the next
/// flush starts when they have answered, so judgments are applied in the order they were posted and
/// <see cref="FlushAsync"/> knows when what was posted before it is applied. The sends are ordinary (two-way) calls
/// awaited by this service only: a failed batch is retried (judgments are idempotent by id), and a slow item holds the
/// queue, not the inbox of the item without bound as one-way calls would.</para>
/// <para>A batch given up after <see cref="DerivedStatsOptions.MaxSendAttempts"/>, and what is queued when a silo
/// crashes, is missing from the items until <c>rebuild</c> replays the feedback logs (docs/RELIABILITY.md). On an orderly
/// shutdown the silo lifecycle flushes the queue first.</para>
/// </remarks>
public sealed partial class DerivedStatsPipeline : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly DerivedStatsOptions _options;
    private readonly DerivedStatsMetrics _metrics;
    private readonly ILogger<DerivedStatsPipeline> _logger;
    private readonly Channel<Posted> _queue;
    private readonly Lock _gate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _started;
    private long _done;
    private long _queued;
    private long _dropped;
    private int _disposed;
    private Task? _loop;

    /// <summary>Creates the pipeline; its loop starts with the silo (or with the first post outside a silo lifecycle).</summary>
    public DerivedStatsPipeline(IGrainFactory grains, DerivedStatsOptions options, DerivedStatsMetrics metrics, ILogger<DerivedStatsPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FlushJudgments, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSendAttempts, 1);
        _grains = grains;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<Posted>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        metrics.ObserveQueue(() => Interlocked.Read(ref _queued));
    }

    /// <summary>Judgments posted and not yet applied (or given up).</summary>
    public long Pending => Interlocked.Read(ref _started) - Interlocked.Read(ref _done);

    /// <summary>Judgments given up (after repeated send failures, or never queued) since the silo started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);

        // Active: grains can be called. Stopped first on shutdown, so the queue is flushed while the items still live.
        lifecycle.Subscribe(
            nameof(DerivedStatsPipeline),
            ServiceLifecycleStage.Active,
            _ =>
            {
                EnsureStarted();
                return Task.CompletedTask;
            },
            StopAsync);
    }

    /// <summary>
    /// Queues the judgment of item <paramref name="itemKey"/>. Returns at once unless the queue is full; then it waits
    /// for room (back-pressure).
    /// </summary>
    public async ValueTask PostAsync(string itemKey, ItemJudgment judgment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemKey);
        ArgumentNullException.ThrowIfNull(judgment);
        EnsureStarted();

        // Counted before the write: a flush waits for every judgment whose post began before it (see FlushAsync).
        Interlocked.Increment(ref _started);
        try
        {
            await _queue.Writer.WriteAsync(new Posted(itemKey, judgment, Stopwatch.GetTimestamp()), cancellationToken);
            Interlocked.Increment(ref _queued);
            _metrics.Posted.Add(1);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // Never queued (the caller gave up while the queue was full, or the silo is stopping): say so, loudly.
            Complete(1);
            Interlocked.Increment(ref _dropped);
            _metrics.Dropped.Add(1);
            LogNotQueued(judgment.JudgmentId, itemKey);
            if (e is OperationCanceledException)
            {
                throw;
            }
        }
    }

    /// <summary>
    /// Completes when every judgment posted before this call has been applied by its item (or given up): the flush
    /// starts at once instead of waiting for the interval.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        long target = Interlocked.Read(ref _started);
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_done >= target)
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            _wake.TrySetResult();
        }

        EnsureStarted();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Registered as itself and as a lifecycle participant: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // The token source is cancelled, not disposed: the loop may still be reading its token as it winds down.
        _stopping.Cancel();
        _queue.Writer.TryComplete();
    }

    private void EnsureStarted()
    {
        if (_loop is null)
        {
            lock (_gate)
            {
                _loop ??= Task.Run(RunAsync);
            }
        }
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        try
        {
            // The loop drains what is queued, then ends; a shutdown that runs out of time abandons the rest (the log has it).
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogStopAbandoned(Interlocked.Read(ref _queued));
            _stopping.Cancel();
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new Dictionary<string, List<Posted>>(StringComparer.Ordinal);
        int count = 0;
        long firstAt = 0;
        while (!_stopping.IsCancellationRequested)
        {
            while (count < _options.FlushJudgments && reader.TryRead(out var posted))
            {
                Interlocked.Decrement(ref _queued);
                if (count == 0)
                {
                    firstAt = posted.At;
                }

                if (!batch.TryGetValue(posted.ItemKey, out var list))
                {
                    batch[posted.ItemKey] = list = [];
                }

                list.Add(posted);
                count++;
            }

            bool closed = reader.Completion.IsCompleted;
            bool flushRequested;
            lock (_gate)
            {
                flushRequested = _waiters.Count > 0;
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (count > 0 && (count >= _options.FlushJudgments || flushRequested || closed || Stopwatch.GetElapsedTime(firstAt) >= _options.FlushInterval))
            {
                try
                {
                    await SendAsync(batch, count);
                }
                catch (Exception e)
                {
                    // SendItemAsync handles its failures; anything else must not stop the loop (posts would block).
                    Interlocked.Add(ref _dropped, count);
                    Complete(count);
                    LogFlushFailed(e, count);
                }

                batch.Clear();
                count = 0;
                continue;
            }

            if (closed)
            {
                return;
            }

            // Wait for the next judgment, a flush request, or the interval of the oldest waiting one.
            Task wake;
            lock (_gate)
            {
                wake = _wake.Task;
            }

            var waitRead = reader.WaitToReadAsync(_stopping.Token).AsTask();
            if (count == 0)
            {
                await Task.WhenAny(waitRead, wake);
            }
            else
            {
                var remaining = _options.FlushInterval - Stopwatch.GetElapsedTime(firstAt);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.WhenAny(waitRead, wake, Task.Delay(remaining, _stopping.Token));
                }
            }
        }
    }

    private async Task SendAsync(Dictionary<string, List<Posted>> batch, int count)
    {
        _metrics.FlushSize.Record(count);
        await Task.WhenAll(batch.Select(pair => SendItemAsync(pair.Key, pair.Value)));
        Complete(count);
    }

    private async Task SendItemAsync(string itemKey, List<Posted> judgments)
    {
        var item = _grains.GetGrain<IItemGrain>(itemKey);
        var payload = new ItemJudgmentBatch(judgments.ConvertAll(j => j.Judgment));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await item.ApplyJudgmentsAsync(payload, _stopping.Token);
                foreach (var posted in judgments)
                {
                    _metrics.Lag.Record(Stopwatch.GetElapsedTime(posted.At).TotalMilliseconds);
                }

                return;
            }
            catch (Exception e) when (attempt < _options.MaxSendAttempts && !_stopping.IsCancellationRequested)
            {
                LogSendRetried(e, itemKey, judgments.Count, attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: the next attempt fails at once and the batch is counted as given up.
                }
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _dropped, judgments.Count);

                _metrics.Dropped.Add(judgments.Count);
                LogSendFailed(e, itemKey, judgments.Count);
                return;
            }
        }
    }

    /// <summary>Counts <paramref name="n"/> judgments as done and releases the flushes they complete.</summary>
    private void Complete(long n)
    {
        lock (_gate)
        {
            _done += n;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= _done)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>One queued judgment: its item, itself, and when it was posted (<see cref="Stopwatch"/> ticks).</summary>
    private readonly record struct Posted(string ItemKey, ItemJudgment Judgment, long At);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Sending {Count} judgments to {ItemKey} failed (attempt {Attempt}); retrying")]
    private partial void LogSendRetried(Exception exception, string itemKey, int count, int attempt);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Error, Message = "Gave up sending {Count} judgments to {ItemKey}; the item lacks them until 'rebuild' replays the feedback logs")]
    private partial void LogSendFailed(Exception exception, string itemKey, int count);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Error, Message = "Judgment {JudgmentId} for {ItemKey} was not queued (cancelled or the silo is stopping); the item lacks it until 'rebuild' replays the feedback logs")]
    private partial void LogNotQueued(string judgmentId, string itemKey);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Critical, Message = "A flush of {Count} judgments failed unexpectedly; the items lack them until 'rebuild' replays the feedback logs")]
    private partial void LogFlushFailed(Exception exception, int count);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Error, Message = "Silo shutdown ran out of time with {Count} judgments queued; the items lack them until 'rebuild' replays the feedback logs")]
    private partial void LogStopAbandoned(long count);
}

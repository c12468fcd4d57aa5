using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace PGenRM.Encoding.Onnx.Tests;

/// <summary>
/// The batching loop with a fake tokenizer (one token per character) and a fake model (a vector holding the text length),
/// so batch composition, threading, failures and shutdown can be checked exactly.
/// </summary>
public sealed class EncodingBatcherTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<(int ThreadId, int[] Lengths)> _calls = new();
    private readonly EmbeddingCache _cache = new("fake@1", 100);
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly ManualResetEventSlim _entered = new();
    private Func<IReadOnlyList<int[]>, Exception?> _failWhen = _ => null;

    // Run on the loop thread once the gate opens, inside the run (Dispose there returns at once: it joins no thread).
    private Action? _onceInRun;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
        _entered.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task Inference_RunsOnTheLoopThread_NeverOnCallers()
    {
        using var batcher = CreateBatcher(maxBatchCount: 4);
        var callerThreads = new ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            callerThreads.Add(Environment.CurrentManagedThreadId);
            await SubmitAsync(batcher, $"text number {i}");
        }, Ct)));

        Assert.NotEmpty(_calls);
        Assert.All(_calls, c => Assert.Equal(batcher.LoopThreadId, c.ThreadId));
        Assert.DoesNotContain(batcher.LoopThreadId, callerThreads);
    }

    [Fact]
    public async Task RequestsArrivingDuringARun_AreBatchedTogether_SortedByLength()
    {
        // arrange: hold the loop inside the first run while ten callers queue up.
        using var batcher = CreateBatcher(maxBatchCount: 32);
        _gate.Reset();
        var first = SubmitAsync(batcher, "first");
        Assert.True(_entered.Wait(Timeout, Ct));
        var queued = Enumerable.Range(1, 10).Select(n => SubmitAsync(batcher, new string('q', n))).ToArray();

        // act
        _gate.Set();
        var results = await Task.WhenAll(queued).WaitAsync(Timeout, Ct);
        await first.WaitAsync(Timeout, Ct);

        // assert: one run for "first", then one run for all ten, shortest first.
        Assert.Equal(2, _calls.Count);
        Assert.Equal(Enumerable.Range(1, 10), _calls.Last().Lengths);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => (float)n), results.Select(r => r[0]));
    }

    [Fact]
    public async Task OneSubmission_IsCutByCountAndPaddedTokens()
    {
        using var batcher = CreateBatcher(maxBatchCount: 4, maxPaddedTokens: 30);
        string[] texts = ["aaaaaaaaaaaa", "a", "aa", "aaa", "aaaa", "aaaaa", "aaaaaaaaaa"]; // 12, 1, 2, 3, 4, 5, 10 tokens

        var result = await batcher.SubmitAsync(texts, Keys(texts), Ct).WaitAsync(Timeout, Ct);

        // 4 short ones (count cap), then 5 + 10 (2 × 10 ≤ 30; adding 12 would pad 3 × 12 = 36), then 12 alone.
        Assert.Equal([[1, 2, 3, 4], [5, 10], [12]], _calls.Select(c => c.Lengths));
        Assert.Equal(texts.Select(t => (float)t.Length), result.Select(r => r[0]));
    }

    [Fact]
    public async Task DuplicateTexts_AcrossConcurrentRequests_AreInferredOnce()
    {
        using var batcher = CreateBatcher(maxBatchCount: 32);
        _gate.Reset();
        var blocker = SubmitAsync(batcher, "blocker");
        Assert.True(_entered.Wait(Timeout, Ct));
        var a = SubmitAsync(batcher, "duplicate");
        var b = batcher.SubmitAsync(["duplicate", "unique", "duplicate"], Keys("duplicate", "unique", "duplicate"), Ct);

        _gate.Set();
        var ra = await a.WaitAsync(Timeout, Ct);
        var rb = await b.WaitAsync(Timeout, Ct);
        await blocker.WaitAsync(Timeout, Ct);

        Assert.Equal([6, 9], _calls.Last().Lengths); // "unique" and one "duplicate"
        Assert.Equal(ra, rb[0]);
        Assert.Equal(ra, rb[2]);
        Assert.NotSame(ra, rb[0]);
        Assert.NotSame(rb[0], rb[2]);
    }

    [Fact]
    public async Task FailingBatch_FailsOnlyItsCallers_AndTheLoopGoesOn()
    {
        // arrange: any batch containing a 4-token text fails. Two callers queue behind a blocker and land in one drain.
        _failWhen = batch => batch.Any(ids => ids.Length == 4) ? new InvalidOperationException("model exploded") : null;
        using var batcher = CreateBatcher(maxBatchCount: 2);
        _gate.Reset();
        var blocker = SubmitAsync(batcher, "blocker");
        Assert.True(_entered.Wait(Timeout, Ct));
        var failing = batcher.SubmitAsync(["bbbb", "aaa"], Keys("bbbb", "aaa"), Ct);
        var other = SubmitAsync(batcher, "ccccc");

        // act: sorted batches are [aaa, bbbb] (fails) and [ccccc] (runs).
        _gate.Set();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Timeout, Ct));
        var otherResult = await other.WaitAsync(Timeout, Ct);
        var later = await SubmitAsync(batcher, "ok").WaitAsync(Timeout, Ct);
        await blocker.WaitAsync(Timeout, Ct);

        // assert
        Assert.Equal("model exploded", ex.Message);
        Assert.Equal([5f], otherResult);
        Assert.Equal([2f], later);
        Assert.Equal([[7], [3, 4], [5], [2]], _calls.Select(c => c.Lengths));
    }

    [Fact]
    public async Task TokenizerFailure_FailsOnlyThatCaller()
    {
        using var batcher = CreateBatcher(maxBatchCount: 8);
        _gate.Reset();
        var blocker = SubmitAsync(batcher, "blocker");
        Assert.True(_entered.Wait(Timeout, Ct));
        var bad = SubmitAsync(batcher, "boom");
        var good = SubmitAsync(batcher, "good");

        _gate.Set();

        var ex = await Assert.ThrowsAsync<FormatException>(() => bad.WaitAsync(Timeout, Ct));
        Assert.Equal("cannot tokenize boom", ex.Message);
        var goodResult = await good.WaitAsync(Timeout, Ct);
        Assert.Equal([4f], goodResult);
        await blocker.WaitAsync(Timeout, Ct);
    }

    [Fact]
    public async Task CancelledWhileQueued_ThrowsForThatCaller_AndIsNotInferred()
    {
        // arrange
        using var batcher = CreateBatcher(maxBatchCount: 32);
        _gate.Reset();
        var blocker = SubmitAsync(batcher, "blocker");
        Assert.True(_entered.Wait(Timeout, Ct));
        using var cts = new CancellationTokenSource();
        var cancelled = batcher.SubmitAsync(["cancel me please"], Keys("cancel me please"), cts.Token);
        var kept = SubmitAsync(batcher, "keep");

        // act
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout, Ct));
        _gate.Set();
        await kept.WaitAsync(Timeout, Ct);
        await blocker.WaitAsync(Timeout, Ct);

        // assert
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.DoesNotContain(_calls, c => c.Lengths.Contains("cancel me please".Length));
    }

    [Fact]
    public async Task Dispose_FailsQueuedRequests_AndRejectsNewOnes()
    {
        // arrange: the loop is stuck in a run with two requests queued behind it.
        var batcher = CreateBatcher(maxBatchCount: 32);
        _gate.Reset();
        var running = SubmitAsync(batcher, "running");
        Assert.True(_entered.Wait(Timeout, Ct));
        var queued = SubmitAsync(batcher, "queued");

        // act: Dispose takes effect inside the run in progress (on the loop thread, so nothing waits or polls for it);
        // the queued request can then no longer be started.
        _onceInRun = batcher.Dispose;
        _gate.Set();

        // assert: the run in progress completes, the queued one fails, new ones are refused.
        Assert.Equal(["running".Length], (await running.WaitAsync(Timeout, Ct)).Select(x => (int)x));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(Timeout, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => SubmitAsync(batcher, "late"));
    }

    [Fact]
    public async Task Dispose_BetweenBatchesOfOneDrain_FailsTheUnfinishedRequest()
    {
        // arrange: one request cut into three batches of one; the loop is held inside the first.
        var batcher = CreateBatcher(maxBatchCount: 1);
        _gate.Reset();
        var request = batcher.SubmitAsync(["a", "bb", "ccc"], Keys("a", "bb", "ccc"), Ct);
        Assert.True(_entered.Wait(Timeout, Ct));

        // act: Dispose inside the first batch's run, on the loop thread.
        _onceInRun = batcher.Dispose;
        _gate.Set();

        // assert: no further run started, and the caller is told rather than left waiting.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => request.WaitAsync(Timeout, Ct));
        Assert.Equal([[1]], _calls.Select(c => c.Lengths));
    }

    [Fact]
    public async Task ComputedEmbeddings_GoToTheCache_AsCopies()
    {
        using var batcher = CreateBatcher(maxBatchCount: 4);

        var result = await SubmitAsync(batcher, "cached").WaitAsync(Timeout, Ct);
        result[0] = -1f;

        Assert.True(_cache.TryGet(_cache.KeyFor("cached"), out var stored));
        Assert.Equal([6f], stored);
    }

    [Fact]
    public async Task BatchingWindow_UnderConcurrentTraffic_GroupsCallersArrivingWithinIt()
    {
        // arrange: a generous window so nothing depends on scheduling; two callers queued behind a blocker make the
        // loop see concurrent traffic.
        using var batcher = CreateBatcher(maxBatchCount: 8, window: TimeSpan.FromSeconds(1));
        _gate.Reset();
        var blocker = SubmitAsync(batcher, "blocker");
        Assert.True(_entered.Wait(Timeout, Ct));
        var queued = new[] { SubmitAsync(batcher, "x"), SubmitAsync(batcher, "y") };
        _gate.Set();
        await Task.WhenAll(queued.Append(blocker)).WaitAsync(Timeout, Ct);
        var callsBefore = _calls.Count;

        // act
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(n => SubmitAsync(batcher, new string('w', n))))
            .WaitAsync(Timeout, Ct);

        // assert: one run of all 8; the window ends early once a full batch (8) is pending, so no second is waited.
        Assert.Equal(callsBefore + 1, _calls.Count);
        Assert.Equal(Enumerable.Range(1, 8), _calls.Last().Lengths);
        Assert.Equal(8, results.Length);
    }

    [Fact]
    public async Task BatchingWindow_IsNotPaidByALoneSequentialCaller()
    {
        // A window far beyond the test's timeout: a call that paid it would not complete (WaitAsync throws), so the
        // outcome does not depend on how fast the machine is.
        using var batcher = CreateBatcher(maxBatchCount: 8, window: TimeSpan.FromHours(1));

        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync(batcher, $"call {i}").WaitAsync(Timeout, Ct);
        }

        Assert.Equal(3, _calls.Count);
    }

    private EncodingBatcher CreateBatcher(
        int maxBatchCount, int maxPaddedTokens = 10_000, TimeSpan? window = null, double maxPaddingShare = 1.0) =>
        new(
            text => text == "boom" ? throw new FormatException("cannot tokenize boom") : text.Select(c => (int)c).ToArray(),
            batch =>
            {
                _entered.Set();
                _calls.Enqueue((Environment.CurrentManagedThreadId, batch.Select(ids => ids.Length).ToArray()));
                Assert.True(_gate.Wait(Timeout));
                Interlocked.Exchange(ref _onceInRun, null)?.Invoke();
                if (_failWhen(batch) is { } failure)
                {
                    throw failure;
                }

                return batch.Select(ids => new[] { (float)ids.Length }).ToArray();
            },
            _cache,
            maxBatchCount,
            maxPaddedTokens,
            maxPaddingShare,
            window ?? TimeSpan.Zero,
            NullLogger.Instance);

    private async Task<float[]> SubmitAsync(EncodingBatcher batcher, string text) =>
        (await batcher.SubmitAsync([text], Keys(text), Ct))[0];

    private EmbeddingCacheKey[] Keys(params string[] texts) => [.. texts.Select(_cache.KeyFor)];
}

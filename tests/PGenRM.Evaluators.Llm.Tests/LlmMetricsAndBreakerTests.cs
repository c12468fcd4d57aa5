using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PGenRM.Testing;

namespace PGenRM.Evaluators.Llm.Tests;

public sealed class LlmMetricsAndBreakerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_CountTokensChainsRequestsFailuresAndLatency()
    {
        await using var h = await JudgeHarness.StartAsync();
        var totals = new ConcurrentDictionary<string, double>();
        int latencies = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this harness's instruments: each LlmMetrics owns its meter instance.
            if (instrument.Meter.Name == LlmMetrics.MeterName && ReferenceEquals(instrument.Meter, h.Metrics.Chains.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Interlocked.Increment(ref latencies));
        listener.Start();
        h.Server.Handler = (call, _) => FakeReply.Text(call.IsRepair ? FakeChains.Valid(6, 7) : FakeChains.NoBlock());

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);

        Assert.Equal(result.Trace.InputTokens, totals["pgenrm.llm.tokens.input"]);
        Assert.Equal(result.Trace.OutputTokens, totals["pgenrm.llm.tokens.output"]);
        Assert.Equal(2, totals["pgenrm.llm.chains"]);
        Assert.Equal(2, totals["pgenrm.llm.requests"]);
        Assert.Equal(1, totals["pgenrm.llm.parse_failures"]);
        Assert.Equal(1, totals["pgenrm.llm.repairs"]);
        Assert.Equal(2, latencies);
        Assert.True(result.Trace.ModelLatencyMs > 0);
    }

    [Fact]
    public async Task Breaker_OpensAfterRepeatedFailures_AndStopsCallingTheServer()
    {
        await using var h = await JudgeHarness.StartAsync(maxRetries: 1, breakerThroughput: 2, cache: false);
        h.Server.Handler = (_, _) => FakeReply.Error(503);

        await Assert.ThrowsAsync<LlmJudgeException>(() => h.Judge.JudgeAsync(JudgeHarness.Request(version: 1), Ct));
        int calls = h.Server.Calls.Count;
        Assert.Equal(2, calls);

        var open = await Assert.ThrowsAsync<LlmJudgeException>(() => h.Judge.JudgeAsync(JudgeHarness.Request(version: 2), Ct));
        Assert.Contains("circuit", open.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(calls, h.Server.Calls.Count);
    }
}

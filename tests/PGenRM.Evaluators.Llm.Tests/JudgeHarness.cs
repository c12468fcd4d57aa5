using PGenRM.Testing;
using Microsoft.Extensions.Caching.Memory;

namespace PGenRM.Evaluators.Llm.Tests;

/// <summary>A fake server and a judge pointed at it.</summary>
public sealed class JudgeHarness : IAsyncDisposable
{
    public const string A = "Answer A: use a hash map.";
    public const string B = "Answer B: it depends, there are many considerations to weigh here.";

    private JudgeHarness(FakeOpenAiServer server, LlmEndpoint endpoint, LlmJudge judge, LlmMetrics metrics, MemoryCache cache)
    {
        Server = server;
        Endpoint = endpoint;
        Judge = judge;
        Metrics = metrics;
        Cache = cache;
    }

    public FakeOpenAiServer Server { get; }

    public LlmEndpoint Endpoint { get; }

    public LlmJudge Judge { get; }

    public LlmMetrics Metrics { get; }

    public MemoryCache Cache { get; }

    public static async Task<JudgeHarness> StartAsync(
        TimeSpan? attemptTimeout = null, int maxRetries = 2, int concurrency = 8, bool cache = true, int breakerThroughput = 20)
    {
        var server = await FakeOpenAiServer.StartAsync();
        var attempt = attemptTimeout ?? TimeSpan.FromSeconds(20);
        var endpoint = new LlmEndpoint(new LlmEndpointOptions
        {
            Name = "fake",
            Endpoint = server.BaseUri,
            ApiKey = "test-key",
            AttemptTimeout = attempt,
            TotalTimeout = attempt * (maxRetries + 2),
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            BreakerMinimumThroughput = breakerThroughput,
        });
        var metrics = new LlmMetrics();
        var memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 1000 });
        var judge = new LlmJudge(endpoint, new LlmJudgeOptions { Model = "fake-judge", MaxConcurrency = concurrency }, metrics, cache ? memory : null);
        return new JudgeHarness(server, endpoint, judge, metrics, memory);
    }

    public static JudgeRequest Request(int m = 1, int n = 0, IReadOnlyList<JudgeNeighbour>? neighbours = null, long version = 1, IReadOnlyList<string>? candidates = null) =>
        new(
            "u1",
            version,
            "How do I count distinct words quickly?",
            candidates ?? [A, B],
            [new JudgePair("How do I sort a list?", "Use sort().", "Well, sorting has a long history..."),
             new JudgePair("Best pizza topping?", "Basil.", "Many people argue..."),
             new JudgePair("How do I count words in a file?", "wc -w file", "Consider reading the file line by line, then...")],
            "Be brief.",
            neighbours ?? [],
            m,
            n);

    public async ValueTask DisposeAsync()
    {
        Endpoint.Dispose();
        Metrics.Dispose();
        Cache.Dispose();
        await Server.DisposeAsync();
    }
}

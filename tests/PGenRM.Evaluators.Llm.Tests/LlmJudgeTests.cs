using PGenRM.Testing;
using Microsoft.Extensions.AI;
using PGenRM.Core.Chains;

namespace PGenRM.Evaluators.Llm.Tests;

public sealed class LlmJudgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Scores by what each slot shows: A gets <paramref name="a"/>, B gets <paramref name="b"/>, whatever the order.</summary>
    private static Func<FakeCall, int, FakeReply> ByContent(double a, double b) =>
        (call, _) => FakeReply.Text(call.Response1 == JudgeHarness.A ? FakeChains.Valid(a, b) : FakeChains.Valid(b, a));

    [Fact]
    public async Task Judge_ReadsTheModelsChain_SingleChain()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = ByContent(8, 4.5);

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);

        Assert.Equal([8.0, 4.5], result.Scores);
        Assert.Equal(0, result.PreferredIndex);
        Assert.Contains("Prefers short, direct answers.", result.Chain.Persona, StringComparison.Ordinal);
        Assert.Equal(["Directness", "Accuracy"], result.Chain.Rubric.Select(r => r.Name));
        Assert.Equal([60, 40], result.Chain.Rubric.Select(r => r.WeightPercent));
        Assert.Equal(8.0, result.Chain.Responses[0].FinalScore);
        Assert.Equal("llm-judge/1 (fake-judge)", result.Chain.ModelVersion);
        var call = Assert.Single(h.Server.Calls);
        Assert.Equal("fake-judge", call.Model);
        Assert.Equal(1.0, call.Temperature!.Value, 6);
        Assert.Contains(JudgePrompt.HistoryStart, call.System, StringComparison.Ordinal);
        Assert.Contains("Be brief.", call.System, StringComparison.Ordinal);
        Assert.Equal(1, result.Trace.Requests);
        Assert.Equal(FakeOpenAiServer.Tokens(call.System) + FakeOpenAiServer.Tokens(call.User), result.Trace.InputTokens);
        Assert.True(result.Trace.OutputTokens > 0);

        // The chain the response carries round-trips through the paper format.
        Assert.Equal(result.Chain, PaperChainFormat.Parse(PaperChainFormat.Serialize(result.Chain)));
    }

    [Fact]
    public async Task Judge_PicksTheMostQueryRelevantHistoryFirst()
    {
        await using var h = await JudgeHarness.StartAsync();
        await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);
        var system = Assert.Single(h.Server.Calls).System;

        // "How do I count words in a file?" shares most words with the query, so it is quoted first.
        int words = system.IndexOf("User: How do I count words in a file?", StringComparison.Ordinal);
        int sort = system.IndexOf("User: How do I sort a list?", StringComparison.Ordinal);
        Assert.True(words >= 0 && sort > words);
    }

    [Fact]
    public async Task Judge_AveragesMChainsInOneRequestPerOrder_BothOrdersReached()
    {
        await using var h = await JudgeHarness.StartAsync();

        // Position bias: Response 1 gets +1 whatever it is; randomised order must cancel it in the mean.
        h.Server.Handler = (call, i) => call.Response1 == JudgeHarness.A ? FakeReply.Text(FakeChains.Valid(8, 4)) : FakeReply.Text(FakeChains.Valid(5, 7));

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(m: 16), Ct);

        var calls = h.Server.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(16, calls.Sum(c => c.N));
        int abFirst = calls.Where(c => c.Response1 == JudgeHarness.A).Sum(c => c.N);
        int baFirst = calls.Where(c => c.Response1 == JudgeHarness.B).Sum(c => c.N);
        Assert.True(abFirst > 0 && baFirst > 0);
        Assert.Equal(baFirst, result.Trace.SwappedChains);
        Assert.Equal(((abFirst * 8.0) + (baFirst * 7.0)) / 16, result.Scores[0], 12);
        Assert.Equal(((abFirst * 4.0) + (baFirst * 5.0)) / 16, result.Scores[1], 12);
        Assert.Equal(16, result.Trace.IndividualChains);
        Assert.True(result.Trace.NSampling);
        Assert.Equal(2, result.Trace.Requests);
        Assert.Equal(16, result.Chain.Scaling.M);
    }

    [Fact]
    public async Task Judge_FallsBackToOneRequestPerChain_WhenNIsUnsupported()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.RejectN = true;
        h.Server.Handler = ByContent(9, 3);

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(m: 4), Ct);

        Assert.Equal([9.0, 3.0], result.Scores);
        Assert.False(result.Trace.NSampling);
        var calls = h.Server.Calls;
        Assert.Equal(4, calls.Count(c => c.N == 1));
        Assert.Equal(result.Trace.Requests, calls.Count);
        Assert.InRange(calls.Count(c => c.N > 1), 1, 2);
    }

    [Fact]
    public async Task Judge_FusesOwnAndNeighbourChainsHalfAndHalf()
    {
        await using var h = await JudgeHarness.StartAsync();
        var neighbours = new[]
        {
            new JudgeNeighbour("n1", [new JudgePair("NEIGHBOUR-ONE likes long answers", "long", "short")]),
            new JudgeNeighbour("n2", [new JudgePair("NEIGHBOUR-TWO likes long answers", "long", "short")]),
            new JudgeNeighbour("n3", [new JudgePair("NEIGHBOUR-THREE is beyond n", "x", "y")]),
        };
        h.Server.Handler = (call, _) =>
        {
            (double a, double b) = call.System.Contains("NEIGHBOUR-ONE", StringComparison.Ordinal) ? (3.0, 9.0)
                : call.System.Contains("NEIGHBOUR-TWO", StringComparison.Ordinal) ? (4.0, 6.0)
                : (8.0, 4.0);
            return FakeReply.Text(call.Response1 == JudgeHarness.A ? FakeChains.Valid(a, b) : FakeChains.Valid(b, a));
        };

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(m: 4, n: 2, neighbours: neighbours), Ct);

        // Own mean (8, 4); neighbours' mean (3.5, 7.5); fused 0.5/0.5.
        Assert.Equal([8.0, 4.0], result.Trace.IndividualMeans!);
        Assert.Equal([3.5, 7.5], result.Trace.PrototypeMeans!);
        Assert.Equal(0.5, result.Trace.IndividualWeight);
        Assert.Equal([5.75, 5.75], result.Scores);
        Assert.Equal(0, result.PreferredIndex);
        Assert.Equal(["n1", "n2"], result.Trace.Neighbours);
        Assert.Equal(2, result.Trace.PrototypeChains);
        Assert.DoesNotContain(h.Server.Calls, c => c.System.Contains("NEIGHBOUR-THREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Judge_RepairsWeightsThatDoNotSumTo100()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = (call, _) => FakeReply.Text(call.IsRepair ? FakeChains.Valid(6, 7) : FakeChains.Valid(6, 7, w1: 70, w2: 40));

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);

        var repair = Assert.Single(h.Server.Calls, c => c.IsRepair);
        Assert.Contains("sum to 110%", repair.Messages[^1].Content, StringComparison.Ordinal);
        Assert.Equal(1, result.Trace.ParseFailures);
        Assert.Equal(1, result.Trace.Repairs);
        Assert.Equal(2, result.Trace.Requests);
    }

    [Fact]
    public async Task Judge_RepairsAMissingJsonBlock_AndReadsQuotedScores()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = (call, _) => FakeReply.Text(call.IsRepair ? FakeChains.QuotedScores(7.5, 10) : FakeChains.NoBlock());

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);

        Assert.Equal(1, result.Trace.Repairs);
        Assert.Contains(h.Server.Calls, c => c.IsRepair && c.Messages[^1].Content.Contains("Missing both markers", StringComparison.Ordinal));
        var expected = h.Server.Calls[0].Response1 == JudgeHarness.A ? new[] { 7.5, 10 } : [10, 7.5];
        Assert.Equal(expected, result.Scores);
        Assert.Empty(result.Chain.Rubric);
    }

    [Fact]
    public async Task Judge_ThrowsAClearError_WhenScoresStayOutsideOneToTen()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = (_, _) => FakeReply.Text(FakeChains.Valid(12, 4));

        var error = await Assert.ThrowsAsync<LlmJudgeException>(() => h.Judge.JudgeAsync(JudgeHarness.Request(), Ct));

        Assert.Contains("no readable chain", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside 1–10", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.Calls.Count);
    }

    [Fact]
    public async Task Judge_BreaksTiesToTheFirstCandidate()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = (_, _) => FakeReply.Text(FakeChains.Valid(7, 7));

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(m: 3), Ct);

        Assert.Equal([7.0, 7.0], result.Scores);
        Assert.Equal(0, result.PreferredIndex);
        Assert.Equal(0, result.Chain.PreferredIndex);
    }

    [Fact]
    public async Task Judge_HonoursRetryAfter_On429()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = (call, _) => call.Number == 1 ? FakeReply.Error(429, retryAfterSeconds: 1) : FakeReply.Text(FakeChains.Valid(6, 5));

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(), Ct);

        var calls = h.Server.Calls;
        Assert.Equal(2, calls.Count);

        // The retry waited for Retry-After (1 s), not the 5 ms backoff.
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"{calls[1].At - calls[0].At}");
        Assert.Equal(2, result.Scores.Length);
    }

    [Fact]
    public async Task Judge_ThrowsAfterRetries_On500()
    {
        await using var h = await JudgeHarness.StartAsync(maxRetries: 2);
        h.Server.Handler = (_, _) => FakeReply.Error(500);

        var error = await Assert.ThrowsAsync<LlmJudgeException>(() => h.Judge.JudgeAsync(JudgeHarness.Request(), Ct));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Server.Calls.Count);
    }

    [Fact]
    public async Task Judge_TimesOut_WhenTheServerHangs()
    {
        await using var h = await JudgeHarness.StartAsync(attemptTimeout: TimeSpan.FromMilliseconds(300), maxRetries: 1);
        h.Server.Handler = (_, _) => FakeReply.Hanging();

        var error = await Assert.ThrowsAsync<LlmJudgeException>(() => h.Judge.JudgeAsync(JudgeHarness.Request(), Ct));

        Assert.Contains("failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.Calls.Count);
    }

    [Fact]
    public async Task Judge_CancellationStopsOutstandingCalls()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.RejectN = true;
        h.Server.Handler = (_, _) => FakeReply.Hanging();
        h.Server.WaitFor(inFlight: 4, aborted: 4);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var judging = h.Judge.JudgeAsync(JudgeHarness.Request(m: 4), cts.Token);
        await h.Server.InFlightReached.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => judging);
        await h.Server.AbortedReached.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(4, h.Server.Aborted);
    }

    [Fact]
    public async Task Judge_CachesByUserStateVersionQueryAndCandidates()
    {
        await using var h = await JudgeHarness.StartAsync();
        h.Server.Handler = ByContent(8, 2);

        var first = await h.Judge.JudgeAsync(JudgeHarness.Request(version: 5), Ct);
        var second = await h.Judge.JudgeAsync(JudgeHarness.Request(version: 5), Ct);
        Assert.Single(h.Server.Calls);
        Assert.False(first.Trace.Cached);
        Assert.True(second.Trace.Cached);
        Assert.Equal(first.Scores, second.Scores);

        // New feedback (a new state version) asks the model again.
        await h.Judge.JudgeAsync(JudgeHarness.Request(version: 6), Ct);
        Assert.Equal(2, h.Server.Calls.Count);
    }

    [Fact]
    public async Task Judge_ScoresManyCandidatesAgainstTheFirstAsReference()
    {
        await using var h = await JudgeHarness.StartAsync();
        const string C = "Answer C: a Counter from collections.";
        var score = new Dictionary<string, double> { [JudgeHarness.A] = 6, [JudgeHarness.B] = 3, [C] = 9 };
        h.Server.Handler = (call, _) =>
        {
            string first = call.Response1, second = call.User.Split("[The Start of Response 2]\n")[1].Split("\n[The End of Response 2]")[0];
            return FakeReply.Text(FakeChains.Valid(score[first], score[second]));
        };

        var result = await h.Judge.JudgeAsync(JudgeHarness.Request(candidates: [JudgeHarness.A, JudgeHarness.B, C]), Ct);

        Assert.Equal([6.0, 3.0, 9.0], result.Scores);
        Assert.Equal(2, result.PreferredIndex);
        Assert.Equal(2, h.Server.Calls.Count);
        Assert.Empty(result.Chain.Rubric);
    }

    [Fact]
    public async Task Endpoint_StreamsServerSentEventsThroughIChatClient()
    {
        await using var h = await JudgeHarness.StartAsync();
        var text = FakeChains.Valid(6.5, 8);
        h.Server.Handler = (_, _) => FakeReply.Text(text);
        var client = h.Endpoint.OpenAi!.GetChatClient("fake-judge").AsIChatClient();

        var streamed = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("score these", cancellationToken: Ct))
        {
            streamed.Append(update.Text);
        }

        Assert.Equal(text, streamed.ToString());
        Assert.True(Assert.Single(h.Server.Calls).Stream);
        Assert.Equal([6.5, 8.0], JudgeAnswer.Read(streamed.ToString()).Scores);
    }
}

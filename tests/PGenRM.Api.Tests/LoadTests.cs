using System.Net;
using System.Text.Json;

namespace PGenRM.Api.Tests;

/// <summary>`pgenrm load` against the test host: real requests of every kind, counts that add up, bounded runs, option errors.</summary>
[Collection(ApiCollection.Name)]
public sealed class LoadTests(ApiFixture api)
{
    private static readonly string[] Kinds = ["feedback", "score", "compare", "get_reward"];

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Load_ForAFewSeconds_CountsAddUpAndEveryRequestSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        // A high rate limit, so that 429s do not depend on how fast this machine is.
        string key = await api.CreateTenantAsync("loadrun", new { requestsPerSecond = 10_000 }, ct);
        string json = Path.Combine(Path.GetTempPath(), "pgenrm-load-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        try
        {
            var run = await CliProcess.RunAsync(ct, "load", "--server", api.Http.BaseAddress!.ToString(), "--key", key,
                "--duration", "3", "--concurrency", "4", "--users", "3", "--mix", "feedback=2,score=1,compare=1,get_reward=1",
                "--candidates", "3", "--repeat-texts", "0.5", "--seed", "7", "--json", json);
            Assert.True(run.Code == 0, run.Output);
            Assert.Contains("latency in ms", run.Output);

            var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, ct)).RootElement;
            long total = report.GetProperty("total").GetInt64();
            Assert.Equal(0, report.GetProperty("errors").GetInt64());
            Assert.True(total >= Kinds.Length, $"only {total} requests in 3 s");
            Assert.Contains($"total: {total} requests", run.Output);

            var kinds = report.GetProperty("kinds");
            long sum = 0;
            foreach (string kind in Kinds)
            {
                var k = kinds.GetProperty(kind);
                long requests = k.GetProperty("requests").GetInt64();
                sum += requests;
                Assert.True(requests > 0, $"no {kind} requests: {run.Output}");
                Assert.Equal(requests, k.GetProperty("ok").GetInt64());
                Assert.Equal(0, k.GetProperty("errors").GetInt64());
                // Every request got an HTTP answer, and all of them 2xx.
                long answered = k.GetProperty("statuses").EnumerateObject().Where(s => s.Name.StartsWith('2')).Sum(s => s.Value.GetInt64());
                Assert.Equal(requests, answered);
                Assert.True(k.GetProperty("requestsPerSecond").GetDouble() > 0);
                double p50 = k.GetProperty("p50Ms").GetDouble(), p95 = k.GetProperty("p95Ms").GetDouble(), p99 = k.GetProperty("p99Ms").GetDouble();
                Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= k.GetProperty("maxMs").GetDouble(), $"{kind}: p50 {p50}, p95 {p95}, p99 {p99}");
                // The kinds follow the mix (weighted round-robin): feedback 2/5 of the requests, the others 1/5.
                double share = kind == "feedback" ? 0.4 : 0.2;
                Assert.True(Math.Abs(requests - (share * total)) <= 2, $"{kind}: {requests} of {total}");
            }

            Assert.Equal(total, sum);

            // The feedback really landed: the users' stored counts add up to the feedback requests sent.
            long stored = 0;
            for (int u = 0; u < 3; u++)
            {
                var profile = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/loadrun/users/load-{u}/profile", key);
                if (profile.Status == HttpStatusCode.OK)
                {
                    stored += profile.Body.GetProperty("feedbackCount").GetInt64();
                }
            }

            Assert.Equal(kinds.GetProperty("feedback").GetProperty("requests").GetInt64(), stored);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task Load_WithARequestBudget_SendsExactlyThat_AndBadOptionsAreRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("loadcount", new { requestsPerSecond = 10_000 }, ct);
        string server = api.Http.BaseAddress!.ToString();

        var counted = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", key, "--requests", "10", "--concurrency", "3", "--mix", "score=1");
        Assert.True(counted.Code == 0, counted.Output);
        Assert.Contains("total: 10 requests", counted.Output);

        // A non-2xx answer is counted as an error and reported, with exit code 1: a key the service never issued gets 401.
        var wrong = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", "nosuchtenant.secret", "--requests", "2", "--mix", "score=1");
        Assert.Equal(1, wrong.Code);
        Assert.Contains("total: 2 requests", wrong.Output);
        Assert.Contains("2 errors", wrong.Output);
        Assert.Contains("score: statuses 401: 2", wrong.Output);

        var both = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", key, "--requests", "10", "--duration", "5");
        Assert.Equal(2, both.Code);
        Assert.Contains("exactly one of --duration and --requests", both.Output);

        var mix = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", key, "--requests", "1", "--mix", "score=1,ranking=2");
        Assert.Equal(2, mix.Code);
        Assert.Contains("unknown kind 'ranking'", mix.Output);

        var duration = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", key, "--duration", "1e300");
        Assert.Equal(2, duration.Code);
        Assert.Contains("--duration must be above 0 and at most 3600 seconds", duration.Output);

        var concurrency = await CliProcess.RunAsync(ct, "load", "--server", server, "--key", key, "--requests", "1", "--concurrency", "0");
        Assert.Equal(2, concurrency.Code);
        Assert.Contains("--concurrency must be 1–1024, got 0", concurrency.Output);
    }
}

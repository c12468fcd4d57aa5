using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace PGenRM.Api.Tests;

/// <summary>One trace runs across HTTP, grain calls and storage: the spans of a request share the caller's trace id.</summary>
[Collection(ApiCollection.Name)]
public sealed class TracingTests(ApiFixture api)
{
    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Feedback_Request_TracesHttpGrainCallsAndStorageUnderTheCallersTrace()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = await api.CreateTenantAsync("traced", null, ct);
        using var testSource = new ActivitySource("PGenRM.Api.Tests");
        ActivityTraceId traceId = default;
        var spans = new ConcurrentBag<(string Source, string Name)>();
        // The server stops its request span after the response is on its way: the client can see the response first.
        var serverSpanStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "PGenRM.Api.Tests" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || source.Name.StartsWith("Azure.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Add((activity.Source.Name, activity.DisplayName));
                    if (activity.Source.Name == "Microsoft.AspNetCore")
                    {
                        serverSpanStopped.TrySetResult();
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        // The caller's span: HttpClient sends its context as traceparent, and every span of the request must join it.
        using var caller = testSource.StartActivity("caller")!;
        traceId = caller.TraceId;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/traced/users/tia/feedback")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { id = "t1", query = "Hello?", chosen = "Hi! How can I help?", rejected = "Go away." }),
        };
        request.Headers.Add("X-Api-Key", key);
        using var response = await api.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await serverSpanStopped.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var sources = spans.Select(s => s.Source).ToHashSet();
        string seen = "spans of the trace: " + string.Join(", ", spans.Select(s => $"{s.Source}:{s.Name}").Distinct());
        Assert.True(sources.Contains("Microsoft.AspNetCore"), seen);
        Assert.True(spans.Any(s => s.Source == "Microsoft.Orleans.Application" && s.Name.Contains("IUserGrain", StringComparison.Ordinal)), seen);
        Assert.True(sources.Contains("Microsoft.Orleans.Storage"), seen);
    }
}

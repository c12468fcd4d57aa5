using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PGenRM.Testing;

/// <summary>
/// A protocol-faithful OpenAI-compatible server on loopback (real Kestrel): POST /v1/chat/completions answers JSON
/// (<c>chat.completion</c> with <c>choices[]</c> and <c>usage</c>) or, with <c>"stream": true</c>, server-sent events
/// (<c>chat.completion.chunk</c> deltas, then <c>data: [DONE]</c>). The test drives every choice through
/// <see cref="Handler"/>; <see cref="RejectN"/> makes it refuse n &gt; 1 with a 400 as servers without n-sampling do;
/// <see cref="TokenDelay"/> simulates decoding time per generated token (the n choices decode as one batch).
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeCall> _calls = new();
    private int _number;
    private int _aborted;
    private int _inFlight;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>Answers choice <c>index</c> of a call.</summary>
    public Func<FakeCall, int, FakeReply> Handler { get; set; } = (_, _) => FakeReply.Text(FakeChains.Valid(7, 5));

    /// <summary>Refuse n &gt; 1 with 400 (a server without n-sampling).</summary>
    public bool RejectN { get; set; }

    /// <summary>Decoding time per generated token (words of the content).</summary>
    public TimeSpan TokenDelay { get; set; }

    /// <summary>Base URL with the /v1 path.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests received, in arrival order.</summary>
    public IReadOnlyList<FakeCall> Calls => [.. _calls.OrderBy(c => c.Number)];

    /// <summary>Requests whose client went away before the answer was complete.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>Requests being answered now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Completes when <see cref="InFlight"/> reaches a count (set by the test before it waits).</summary>
    public TaskCompletionSource InFlightReached { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when <see cref="Aborted"/> reaches a count.</summary>
    public TaskCompletionSource AbortedReached { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _inFlightTarget = int.MaxValue;
    private int _abortedTarget = int.MaxValue;

    public void WaitFor(int inFlight, int aborted)
    {
        _inFlightTarget = inFlight;
        _abortedTarget = aborted;
        InFlightReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        AbortedReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private async Task CompleteAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, ContentOf(m.GetProperty("content"))))
            .ToList();
        var call = new FakeCall(
            Interlocked.Increment(ref _number),
            root.GetProperty("model").GetString()!,
            root.TryGetProperty("n", out var n) ? n.GetInt32() : 1,
            root.TryGetProperty("stream", out var s) && s.GetBoolean(),
            root.TryGetProperty("temperature", out var t) ? t.GetDouble() : null,
            messages,
            DateTimeOffset.UtcNow);
        _calls.Enqueue(call);
        var aborted = context.RequestAborted;
        using var registration = aborted.Register(() =>
        {
            if (Interlocked.Increment(ref _aborted) >= _abortedTarget)
            {
                AbortedReached.TrySetResult();
            }
        });
        if (Interlocked.Increment(ref _inFlight) >= _inFlightTarget)
        {
            InFlightReached.TrySetResult();
        }

        try
        {
            if (RejectN && call.N > 1)
            {
                await WriteError(context, 400, "n > 1 is not supported by this server");
                return;
            }

            var replies = Enumerable.Range(0, call.N).Select(i => Handler(call, i)).ToList();
            var failure = replies.FirstOrDefault(r => r.Hang || r.Status != 200);
            if (failure is { Hang: true })
            {
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            }

            if (failure is not null)
            {
                if (failure.RetryAfterSeconds is int seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await WriteError(context, failure.Status, $"fake status {failure.Status}");
                return;
            }

            var contents = replies.Select(r => r.Content ?? string.Empty).ToList();
            int promptTokens = messages.Sum(m => Tokens(m.Item2));
            if (TokenDelay > TimeSpan.Zero)
            {
                await Task.Delay(TokenDelay * contents.Max(Tokens), aborted);
            }

            if (call.Stream)
            {
                await StreamAsync(context, call, contents[0], promptTokens, aborted);
            }
            else
            {
                await WriteCompletion(context, call, contents, promptTokens);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static string ContentOf(JsonElement content) =>
        content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var x) ? x.GetString() : string.Empty));

    /// <summary>Whitespace-separated words: the fake's token count.</summary>
    public static int Tokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static async Task WriteError(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error", code = status } }));
    }

    private static async Task WriteCompletion(HttpContext context, FakeCall call, List<string> contents, int promptTokens)
    {
        context.Response.ContentType = "application/json";
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", $"chatcmpl-{call.Number}");
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            w.WriteString("model", call.Model);
            w.WriteStartArray("choices");
            for (int i = 0; i < contents.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                w.WriteString("content", contents[i]);
                w.WriteEndObject();
                w.WriteString("finish_reason", "stop");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("usage");
            int completion = contents.Sum(Tokens);
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("completion_tokens", completion);
            w.WriteNumber("total_tokens", promptTokens + completion);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    private static async Task StreamAsync(HttpContext context, FakeCall call, string content, int promptTokens, CancellationToken aborted)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Send(string json)
        {
            await context.Response.WriteAsync($"data: {json}\n\n", Encoding.UTF8, aborted);
            await context.Response.Body.FlushAsync(aborted);
        }

        string Chunk(object delta, string? finish) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = $"chatcmpl-{call.Number}",
            ["object"] = "chat.completion.chunk",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = call.Model,
            ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish } },
        });

        await Send(Chunk(new { role = "assistant", content = string.Empty }, null));
        const int piece = 16;
        for (int i = 0; i < content.Length; i += piece)
        {
            await Send(Chunk(new { content = content.Substring(i, Math.Min(piece, content.Length - i)) }, null));
        }

        await Send(Chunk(new { }, "stop"));
        await Send(JsonSerializer.Serialize(new
        {
            id = $"chatcmpl-{call.Number}",
            @object = "chat.completion.chunk",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = call.Model,
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = promptTokens, completion_tokens = Tokens(content), total_tokens = promptTokens + Tokens(content) },
        }));
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

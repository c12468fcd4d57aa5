using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PGenRM.Api.Tests.Reliability;

/// <summary>
/// A seeded fuzz of every route: valid bodies and mutations of them (malformed and truncated JSON, wrong types, huge,
/// tiny and non-finite numbers, odd unicode, duplicate and unknown keys, deep nesting, empty bodies), wrong content
/// types, odd path segments, and bogus, missing, admin and other tenants' keys. Every answer must be below 500, and
/// every error a problem-details body whose status matches (except Kestrel's own empty 400 for a NUL in the path). The seed is printed (and can be set with
/// PGENRM_FUZZ_SEED) so that a failure reproduces.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzTests(ApiFixture api)
{
    private const int Requests = 3_000;
    private const int Workers = 4;

    private static readonly string[] Texts =
    [
        "How do I reverse a list in Python?", "Use xs[::-1].", "Lists are a deep topic; it depends.", "ü😀\u200b\u0301 Ω", "\u202eevil\u202c",
        "a", new string('x', 300), "\t\r\n", "null", "{}", "\\u0000", "\ud83d\ude00 emoji", "日本語のテキスト",
    ];

    private static readonly string[] Segments =
    [
        "alice", "bob", "ü😀", "%2F", "%00", "..", "%20", "a%23b", "a%3Fb", new string('u', 300), "CON", "%E2%80%AE", "-", "_", "a.b",
    ];

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task EveryRoute_FuzzedInput_NeverA5xx_AndErrorsAreProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("PGENRM_FUZZ_SEED"), out int fixedSeed) ? fixedSeed : Environment.TickCount & 0x7fffffff;
        TestContext.Current.SendDiagnosticMessage($"fuzz seed {seed} (rerun with PGENRM_FUZZ_SEED={seed})");
        string key = await api.CreateTenantAsync("fuzz", new { requestsPerSecond = 100_000 }, ct);
        string other = await api.CreateTenantAsync("fuzz-other", null, ct);
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + w);
            for (int i = 0; i < Requests / Workers; i++)
            {
                using var request = Build(random, key, other);
                string described = $"{request.Method} {request.RequestUri} [{request.Content?.Headers.ContentType}] {(request.Content is null ? "" : Shorten(await request.Content.ReadAsStringAsync(ct)))}";
                using var response = await api.Http.SendAsync(request, ct);
                int status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                string body = await response.Content.ReadAsStringAsync(ct);
                if (status >= 500)
                {
                    failures.Enqueue($"{status} for {described}: {Shorten(body)}");
                }
                else if (status >= 400 && !IsProblem(response, body, status) && !(status == 400 && body.Length == 0 && ProtocolReject(request)))
                {
                    failures.Enqueue($"{status} without problem details for {described}: {Shorten(body)}");
                }
            }
        }, ct)));

        string counts = string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
        TestContext.Current.SendDiagnosticMessage($"fuzz seed {seed}: {Requests} requests in {watch.Elapsed.TotalSeconds:F1} s; {counts}");
        Assert.True(failures.IsEmpty, $"seed {seed} (PGENRM_FUZZ_SEED={seed}): {failures.Count} bad answers; first ones:\n{string.Join("\n", failures.Take(10))}");
        Assert.Equal(Requests, statuses.Values.Sum());
    }

    /// <summary>
    /// Kestrel refuses a NUL in the decoded path (%00) itself, as an HTTP protocol error with an empty 400, before any
    /// application code runs: not an application error, so no problem-details body is expected there.
    /// </summary>
    private static bool ProtocolReject(HttpRequestMessage request) => request.RequestUri!.OriginalString.Contains("%00", StringComparison.Ordinal);

    private static bool IsProblem(HttpResponseMessage response, string body, int status)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.GetProperty("status").GetInt32() == status && root.TryGetProperty("title", out _);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static HttpRequestMessage Build(Random random, string key, string other)
    {
        string user = Pick(random, Segments);
        string tenant = random.Next(10) < 8 ? "fuzz" : Pick(random, ["fuzz-other", "nope", "%2F", "ü", "a.b"]);
        var (method, path, body) = random.Next(16) switch
        {
            0 => (HttpMethod.Post, "/v1/tenants", (object?)new { tenant = Pick(random, ["fz" + random.Next(1000), "", "ü", "fuzz"]), settings = new { requestsPerSecond = Number(random), maxCandidates = Number(random), prototypes = Number(random) } }),
            1 => (HttpMethod.Get, $"/v1/tenants/{tenant}", null),
            2 or 3 => (HttpMethod.Post, $"/v1/tenants/{tenant}/users/{user}/feedback", Feedback(random)),
            4 => (HttpMethod.Post, $"/v1/tenants/{tenant}/feedback/batch", new { items = new[] { Feedback(random), Feedback(random) } }),
            5 => (HttpMethod.Put, $"/v1/tenants/{tenant}/users/{user}/stated-preference", new { text = Pick(random, Texts) }),
            6 or 7 => (HttpMethod.Post, $"/v1/tenants/{tenant}/users/{user}/score", Score(random)),
            8 => (HttpMethod.Post, $"/v1/tenants/{tenant}/users/{user}/compare", Score(random)),
            9 => (HttpMethod.Get, $"/v1/tenants/{tenant}/users/{user}/{Pick(random, ["profile", "export", "nothing"])}", null),
            10 => (HttpMethod.Delete, $"/v1/tenants/{tenant}/users/{user}", null),
            11 => (HttpMethod.Get, $"/v1/tenants/{tenant}/prototypes{Pick(random, ["", "/map", "/7"])}", null),
            12 => (HttpMethod.Post, $"/v1/tenants/{tenant}/prototypes/recluster", null),
            13 => (HttpMethod.Post, "/get_reward", new { query = new[] { Pick(random, Texts) + "\n\nAssistant: " + Pick(random, Texts) }, user_id = user }),
            14 => (Pick(random, [HttpMethod.Patch, HttpMethod.Options, HttpMethod.Put, HttpMethod.Get]), Pick(random, ["/v1/tenants", "/get_reward", $"/v1/tenants/{tenant}/users/{user}/score", "/v1/%00", "/health/live"]), null),
            _ => (HttpMethod.Post, $"/v1/tenants/{tenant}/users/{user}/feedback", null),
        };

        var request = new HttpRequestMessage(method, path);
        string json = body is null ? "" : JsonSerializer.Serialize(body);
        string content = Mutate(random, json);
        if (content.Length > 0 || random.Next(4) == 0)
        {
            request.Content = new ByteArrayContent(random.Next(40) == 0 ? RandomBytes(random) : System.Text.Encoding.UTF8.GetBytes(content));
            string? type = random.Next(10) switch
            {
                0 => "text/plain",
                1 => "application/x-www-form-urlencoded",
                2 => null,
                3 => "application/problem+json; charset=utf-8",
                4 => "application/jsonx",
                _ => "application/json",
            };
            if (type is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        string? credential = random.Next(10) switch
        {
            0 => null,
            1 => "fuzz.bogus-secret",
            2 => ApiFixture.AdminKey,
            3 => other,
            4 => Pick(random, ["", ".", "fuzz.", ".x", "x%C3%BC.y", new string('k', 5000)]),
            _ => key,
        };
        if (credential is not null)
        {
            if (random.Next(2) == 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
            }
            else
            {
                request.Headers.TryAddWithoutValidation("X-Api-Key", credential);
            }
        }

        return request;
    }

    private static object Feedback(Random random) => random.Next(3) == 0
        ? new { id = "r" + random.Next(50), query = Pick(random, Texts), ratings = new object[] { new { text = Pick(random, Texts), rating = Number(random) }, new { text = Pick(random, Texts), rating = Number(random) } } }
        : new { id = "f" + random.Next(50), query = Pick(random, Texts), chosen = Pick(random, Texts), rejected = Pick(random, Texts), weight = Number(random), user = "u" + random.Next(5) };

    private static object Score(Random random) => new
    {
        query = Pick(random, Texts),
        candidates = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(random, Texts)).ToArray(),
        candidateIds = random.Next(3) == 0 ? new[] { "i1", "i1" } : null,
        m = random.Next(3) == 0 ? Number(random) : 1,
        n = random.Next(3) == 0 ? Number(random) : 0,
        explain = random.Next(2) == 0,
    };

    private static double Number(Random random) => Pick(random, [0, 1, -1, 2, 0.5, 1e-12, 5e-324, 1e308, -1e308, 2147483648.0, 64, 100_000]);

    /// <summary>Leaves the JSON as it is, or breaks it one of many ways.</summary>
    private static string Mutate(Random random, string json)
    {
        if (json.Length == 0)
        {
            return random.Next(3) == 0 ? Pick(random, ["{}", "[]", "null", "{", "\"x\""]) : "";
        }

        return random.Next(14) switch
        {
            0 => json[..random.Next(json.Length)],
            1 => json.Replace("\"query\":", "\"query\":1,\"query\":", StringComparison.Ordinal),
            2 => json.Insert(1, "\"unknownField\":true,"),
            3 => json.Replace("\"", "'", StringComparison.Ordinal),
            4 => new string('[', 200) + new string(']', 200),
            5 => json.Replace(":\"", ":[\"", StringComparison.Ordinal),
            6 => json.Replace(":1,", ":1e999,", StringComparison.Ordinal).Replace(":0,", ":NaN,", StringComparison.Ordinal),
            7 => json.Replace("\"id\":\"", "\"ID\":\"", StringComparison.Ordinal).Insert(1, "\"id\":\"dup\","),
            8 => json.Replace("\"candidates\":[", "\"candidates\":{", StringComparison.Ordinal),
            9 => "\uFEFF" + json,
            10 => json + "garbage",
            _ => json,
        };
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

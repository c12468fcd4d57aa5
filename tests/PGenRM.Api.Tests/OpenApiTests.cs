using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace PGenRM.Api.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json describes every route the host maps, with typed responses.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    private static readonly string[] ApiRoutes =
    [
        "POST /v1/tenants",
        "GET /v1/tenants/{tenant}",
        "PATCH /v1/tenants/{tenant}/settings",
        "POST /v1/tenants/{tenant}/rebuild",
        "GET /v1/tenants/{tenant}/rebuild/{job}",
        "POST /v1/tenants/{tenant}/users/{user}/feedback",
        "POST /v1/tenants/{tenant}/feedback/batch",
        "PUT /v1/tenants/{tenant}/users/{user}/stated-preference",
        "POST /v1/tenants/{tenant}/users/{user}/score",
        "POST /v1/tenants/{tenant}/users/{user}/compare",
        "GET /v1/tenants/{tenant}/users/{user}/profile",
        "GET /v1/tenants/{tenant}/users/{user}/export",
        "DELETE /v1/tenants/{tenant}/users/{user}",
        "GET /v1/tenants/{tenant}/prototypes",
        "GET /v1/tenants/{tenant}/prototypes/map",
        "POST /v1/tenants/{tenant}/prototypes/recluster",
        "POST /get_reward",
        "GET /health/live",
        "GET /health/ready",
    ];

    [Fact(Timeout = TestTimeouts.Api)]
    public async Task Document_ListsExactlyTheMappedRoutes()
    {
        // Anonymous: no key is sent.
        using var response = await api.Http.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        string raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, raw);
        var document = JsonDocument.Parse(raw).RootElement;

        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        // Every route of the host, except those marked as not part of the API (the OpenAPI document itself, /metrics,
        // the Orleans dashboard): a route added without a description fails here.
        var mapped = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {"/" + e.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(mapped.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.Subset(documented, ApiRoutes.ToHashSet(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string, string[]> MainResponses => new()
    {
        { "post", "/v1/tenants", "201", ["tenant", "apiKey", "settings", "createdAt"] },
        { "get", "/v1/tenants/{tenant}", "200", ["tenant", "settings", "createdAt", "prototypes", "centroidVersion"] },
        { "post", "/v1/tenants/{tenant}/rebuild", "202", ["job", "tenant", "state", "users", "usersReplayed", "items", "prototypes", "entries", "startedAt", "finishedAt", "seconds", "error"] },
        { "get", "/v1/tenants/{tenant}/rebuild/{job}", "200", ["job", "tenant", "state", "users", "usersReplayed", "items", "prototypes", "entries", "error"] },
        { "post", "/v1/tenants/{tenant}/users/{user}/feedback", "200", ["id", "status", "feedbackCount"] },
        { "post", "/v1/tenants/{tenant}/feedback/batch", "200", ["results"] },
        { "post", "/v1/tenants/{tenant}/users/{user}/score", "200", ["rewards", "preferredIndex", "itemIds", "coldStart", "chain", "evaluator"] },
        { "post", "/v1/tenants/{tenant}/users/{user}/compare", "200", ["probability", "score"] },
        { "get", "/v1/tenants/{tenant}/users/{user}/profile", "200", ["user", "feedbackCount", "scenarios"] },
        { "get", "/v1/tenants/{tenant}/prototypes", "200", ["centroidVersion", "prototypes"] },
        { "get", "/v1/tenants/{tenant}/prototypes/map", "200", ["centroidVersion", "explainedVariance", "points"] },
        { "post", "/get_reward", "200", ["rewards"] },
    };

    [Theory(Timeout = TestTimeouts.Api)]
    [MemberData(nameof(MainResponses))]
    public async Task Document_DescribesTheResponseAndItsFields(string method, string path, string status, string[] fields)
    {
        var document = JsonDocument.Parse(await api.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var schema = Resolve(document, operation.GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(properties, fields.ToHashSet(StringComparer.Ordinal));
        // Errors are problem details, and request bodies are described.
        Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _) || method == "get", $"{method} {path}: no 400");
        // (Starting a rebuild takes no body: the tenant is in the route.)
        Assert.True(method == "get" || path.EndsWith("/rebuild", StringComparison.Ordinal) || operation.TryGetProperty("requestBody", out _), $"{method} {path}: no request body");
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            string name = reference.GetString()!["#/components/schemas/".Length..];
            return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }
}

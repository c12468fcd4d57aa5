using System.Text.Json.Serialization;

namespace PGenRM.Host.Api;

/// <summary>
/// POST /get_reward, OpenRLHF's remote reward model request: "query" holds full prompt+response strings; OpenRLHF also
/// sends "prompts" (so the response is what follows the prompt) and "labels". The user comes from "user_ids" (one per
/// query), "user_id" (one for all), or else "labels" (one per query, as OpenRLHF passes a dataset's label column).
/// Other fields OpenRLHF may add are ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record RewardRequest(
    [property: JsonPropertyName("query")] IReadOnlyList<string>? Query,
    [property: JsonPropertyName("prompts")] IReadOnlyList<string>? Prompts,
    [property: JsonPropertyName("labels")] IReadOnlyList<string?>? Labels,
    [property: JsonPropertyName("user_ids")] IReadOnlyList<string>? UserIds,
    [property: JsonPropertyName("user_id")] string? UserId);

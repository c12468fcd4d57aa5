namespace PGenRM.Grains.Abstractions;

/// <summary>Rewards for a <see cref="ScoreRequest"/>, in candidate order.</summary>
/// <param name="Rewards">One reward per candidate (Bradley–Terry logit scale: higher = preferred by this user).</param>
/// <param name="PreferredIndex">Index of the highest reward (ties: lowest index).</param>
/// <param name="ItemIds">Item id of each candidate.</param>
/// <param name="IsColdStart">True when the user has no feedback or stated preference: rewards come from the prototype prior.</param>
/// <param name="Prototype">The user's prototype, or null.</param>
/// <param name="M">Individual-level schemes used.</param>
/// <param name="N">Prototype-level neighbours requested.</param>
/// <param name="Neighbours">User keys whose schemes or judgments entered the prototype level.</param>
/// <param name="Agreement">Share of the level votes that agree with <paramref name="PreferredIndex"/>.</param>
/// <param name="ModelVersion">Encoder, feature layout and model.</param>
/// <param name="CriteriaBankVersion">Criteria bank version.</param>
/// <param name="ChainJson">Unused since <paramref name="Chain"/> (always null); kept so that the ids stay as deployed.</param>
/// <param name="Evaluator">The backend that produced the rewards: <c>compact</c> or <c>llm</c>.</param>
/// <param name="Fallback">True when the tenant's llm evaluator failed and the compact evaluator answered instead (tenant setting LlmFallback).</param>
/// <param name="LlmTraceJson">The llm evaluator's scaling trace as JSON (what each level contributed, requests, tokens, latency), or null.</param>
/// <param name="Chain">The evaluation chain (persona, rubric with weights, per-criterion scores, final scores), when asked for.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ScoreResponse")]
public sealed record ScoreResponse(
    [property: Id(0)] double[] Rewards,
    [property: Id(1)] int PreferredIndex,
    [property: Id(2)] IReadOnlyList<string> ItemIds,
    [property: Id(3)] bool IsColdStart,
    [property: Id(4)] int? Prototype,
    [property: Id(5)] int M,
    [property: Id(6)] int N,
    [property: Id(7)] IReadOnlyList<string> Neighbours,
    [property: Id(8)] double Agreement,
    [property: Id(9)] string ModelVersion,
    [property: Id(10)] string CriteriaBankVersion,
    [property: Id(11)] string? ChainJson,
    [property: Id(12)] string Evaluator = TenantSettings.CompactEvaluator,
    [property: Id(13)] bool Fallback = false,
    [property: Id(14)] string? LlmTraceJson = null,
    [property: Id(15)] ChainRecord? Chain = null);

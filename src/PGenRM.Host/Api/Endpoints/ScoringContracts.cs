using System.Text.Json;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api.Endpoints;

/// <summary>
/// POST score: one reward per candidate (Bradley–Terry logit scale), the preferred index, each candidate's item id, how
/// the rewards were scaled (cold start, prototype, m, n, neighbours, agreement), versions, and on request the chain.
/// </summary>
internal sealed record ScoreResult(
    double[] Rewards,
    int PreferredIndex,
    IReadOnlyList<string> ItemIds,
    bool ColdStart,
    int? Prototype,
    int M,
    int N,
    IReadOnlyList<string> Neighbours,
    double Agreement,
    string ModelVersion,
    string CriteriaBankVersion,
    ChainRecord? Chain,
    string Evaluator,
    bool Fallback,
    JsonElement? Llm);

/// <summary>POST compare: P(first ≻ second) and the underlying two-candidate score.</summary>
internal sealed record CompareResult(double Probability, ScoreResult Score);

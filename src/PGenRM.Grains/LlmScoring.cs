using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using PGenRM.Core.Model;
using PGenRM.Evaluators.Llm;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// The scoring path of tenants whose evaluator is <c>llm</c>: the user's recent pairs with texts and stated preference,
/// the n nearest other members of the user's prototype (ranked by judgment sketch, as the compact prototype level ranks
/// them) lending their pairs, and the tenant's judge (endpoint, model, concurrency limit). A failed judgment is an error
/// (<see cref="JudgeUnavailableException"/>) unless the tenant allows the compact evaluator's answer, flagged <c>fallback</c>.
/// Kept apart from <see cref="ScoringWorker"/>, which only branches here.
/// </summary>
public sealed class LlmScoring : IDisposable
{
    private static readonly JsonSerializerOptions TraceJson = new(JsonSerializerDefaults.Web);

    private readonly SiloEvaluator _evaluators;
    private readonly PrototypeReservoirCache _reservoirs;
    private readonly Derived.ItemStatsCache _itemStats;
    private readonly LlmEndpoints _endpoints;
    private readonly LlmMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly ConcurrentDictionary<string, LlmJudge> _judges = new(StringComparer.Ordinal);

    /// <summary>Creates the path; judges are built per tenant configuration on first use.</summary>
    public LlmScoring(SiloEvaluator evaluators, PrototypeReservoirCache reservoirs, Derived.ItemStatsCache itemStats, LlmEndpoints endpoints, LlmMetrics metrics, ILoggerFactory loggers)
    {
        _evaluators = evaluators;
        _reservoirs = reservoirs;
        _itemStats = itemStats;
        _endpoints = endpoints;
        _metrics = metrics;
        _loggers = loggers;
    }

    /// <summary>Scores <paramref name="request"/> with the tenant's judge (the request's shape and limits are already validated).</summary>
    /// <param name="grains">Grain factory of the calling worker.</param>
    /// <param name="request">The request.</param>
    /// <param name="settings">The tenant's settings (evaluator <c>llm</c>).</param>
    /// <param name="compact">The compact evaluator's path (for the flagged fallback).</param>
    /// <param name="cancellationToken">Cancels the model calls.</param>
    public async Task<ScoreResponse> ScoreAsync(
        IGrainFactory grains, ScoreRequest request, TenantSettings settings, Func<CancellationToken, Task<ScoreResponse>> compact,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        int m = request.M ?? settings.M, n = request.N ?? settings.N;
        if (m > settings.LlmMaxM)
        {
            throw new InvalidRequestException("m", $"M is {m}; the tenant's llm evaluator allows at most {settings.LlmMaxM} chains per score.");
        }

        if (n > settings.LlmMaxN)
        {
            throw new InvalidRequestException("n", $"N is {n}; the tenant's llm evaluator allows at most {settings.LlmMaxN} neighbour chains per score.");
        }

        if (request.Candidates.Count < 2)
        {
            return settings.LlmFallback
                ? await FallbackAsync(compact, "the llm evaluator compares candidates and got one", cancellationToken)
                : throw new InvalidRequestException(
                    "candidates", "Candidates has 1 response; the tenant's llm evaluator compares candidates: send at least two for a query.");
        }

        var judge = Judge(request.Tenant, settings);
        string userKey = GrainKeys.User(request.Tenant, request.User);
        var user = grains.GetGrain<IUserGrain>(userKey);
        var evaluator = await _evaluators.GetAsync(cancellationToken);
        var encoded = await evaluator.EncodeAsync(request.Query, request.Candidates, request.CandidateIds, cancellationToken);
        // The compact path's scaling over the same candidates: its collaborative part (items' statistics, neighbours'
        // actual judgments) fuses with the judge's scores as it does with the compact content part.
        var compactTask = ScoringWorker.EvaluateAsync(
            grains, _evaluators, _reservoirs, _itemStats, evaluator, request.Tenant, userKey, request.Query, encoded, m, n, cancellationToken);
        var historyTask = user.GetHistoryPairsAsync(UserGrain.RecentWindow, cancellationToken);
        // The stated text from the state: not through ExportAsync, which reads the user's whole feedback log.
        var statedTask = user.GetStatedPreferenceAsync(cancellationToken);
        await Task.WhenAll(compactTask, historyTask, statedTask);
        var (collaborative, schemes) = await compactTask;
        var stated = await statedTask;
        var neighbours = n > 0 && schemes.Prototype is int prototype
            ? await NeighboursAsync(grains, request.Tenant, prototype, userKey, schemes.Sketch, n, cancellationToken)
            : [];

        var judgeRequest = new JudgeRequest(
            $"{userKey}#{Core.Model.StableHash.Of(stated ?? string.Empty)}",
            schemes.FeedbackCount,
            request.Query,
            request.Candidates,
            Pairs(await historyTask),
            stated,
            neighbours,
            m,
            n);
        JudgeResult result;
        try
        {
            result = await judge.JudgeAsync(judgeRequest, cancellationToken);
        }
        catch (LlmJudgeException e)
        {
            return settings.LlmFallback
                ? await FallbackAsync(compact, e.Message, cancellationToken)
                : throw new JudgeUnavailableException(e.Message);
        }

        var fused = TestTimeScaler.WithContent(collaborative.Scaling, result.Scores);
        int preferred = TestTimeScaler.ArgMax(fused.Rewards);
        var chain = result.Chain with
        {
            Responses = result.Chain.Responses.Select((r, i) => r with { FinalScore = fused.Rewards[i], Reward = fused.Rewards[i] }).ToList(),
            PreferredIndex = preferred,
            Scaling = result.Chain.Scaling with { ContentShare = 1 - fused.CollaborativeShare, CollaborativeShare = fused.CollaborativeShare },
        };
        var trace = result.Trace with { Collaborative = fused.Collaborative, CollaborativeShare = fused.CollaborativeShare };
        return new ScoreResponse(
            fused.Rewards,
            preferred,
            encoded.Candidates.Select(c => c.ItemId).ToList(),
            schemes.IsColdStart,
            schemes.Prototype,
            result.Trace.IndividualChains,
            n,
            result.Trace.Neighbours,
            chain.Scaling.Agreement,
            judge.ModelVersion,
            chain.CriteriaVersion,
            null,
            TenantSettings.LlmEvaluator,
            Fallback: false,
            JsonSerializer.Serialize(trace, TraceJson),
            request.Explain ? ChainRecords.From(chain) : null);
    }

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    private async Task<ScoreResponse> FallbackAsync(Func<CancellationToken, Task<ScoreResponse>> compact, string why, CancellationToken cancellationToken)
    {
        _metrics.Fallbacks.Add(1);
        var response = await compact(cancellationToken);
        return response with { Fallback = true, LlmTraceJson = JsonSerializer.Serialize(new { error = why }, TraceJson) };
    }

    private LlmJudge Judge(string tenant, TenantSettings s)
    {
        // One judge per tenant configuration: its semaphore is the tenant's concurrency limit to the model server.
        string key = $"{tenant}|{s.LlmEndpoint}|{s.LlmModel}|{s.LlmMaxConcurrency}|{s.LlmMaxOutputTokens}";
        return _judges.GetOrAdd(key, _ => new LlmJudge(
            _endpoints.Get(s.LlmEndpoint ?? throw new ArgumentException("The tenant's llm evaluator has no endpoint.", nameof(s))),
            new LlmJudgeOptions { Model = s.LlmModel!, MaxConcurrency = s.LlmMaxConcurrency, MaxOutputTokens = s.LlmMaxOutputTokens },
            _metrics,
            _cache,
            _loggers.CreateLogger<LlmJudge>()));
    }

    private async Task<IReadOnlyList<JudgeNeighbour>> NeighboursAsync(
        IGrainFactory grains, string tenant, int prototype, string userKey, float[] userVector, int n, CancellationToken cancellationToken)
    {
        var members = await _reservoirs.GetAsync(tenant, prototype, cancellationToken);
        var nearest = members
            .Where(p => !string.Equals(p.UserKey, userKey, StringComparison.Ordinal))
            .OrderByDescending(p => VectorSimilarity.Cosine(p.Sketch, userVector))
            .ThenBy(p => p.UserKey, StringComparer.Ordinal)
            .Take(n)
            .ToList();
        var histories = await Task.WhenAll(nearest.Select(p =>
            grains.GetGrain<IUserGrain>(p.UserKey).GetHistoryPairsAsync(UserGrain.RecentWindow, cancellationToken)));
        return nearest
            .Select((p, i) => new JudgeNeighbour(p.UserKey, Pairs(histories[i])))
            .Where(x => x.History.Count > 0)
            .ToList();
    }

    private static List<JudgePair> Pairs(IReadOnlyList<HistoryPair> pairs) => pairs.Select(p => new JudgePair(p.Query, p.Chosen, p.Rejected)).ToList();
}

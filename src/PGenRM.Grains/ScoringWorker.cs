using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// The one scoring path ([StatelessWorker], key 0; [Reentrant], at most <see cref="MaxConcurrentScores"/> compact scores in
/// flight per silo): validates the request against the tenant's limits, encodes through
/// the silo's evaluator (one batching encoder per silo), asks the user grain for its individual-level schemes, reads the
/// candidates' item statistics (with their nearest judges when n &gt; 0) and the prototype's reservoir (cached per silo),
/// and runs <see cref="CompactEvaluator"/>'s dual-granularity scaling: the same code the library evaluation runs.
/// </summary>
/// <remarks>
/// Reentrant: a score spends most of its time awaiting the encoder's batcher and other grains, so a non-reentrant worker
/// (one call per activation, one activation per core) capped the scores in flight, and so the batcher's batches, at
/// the core count (docs/BENCHMARKS.md "Scale"). The worker
/// keeps no per-call state in fields (only silo singletons, which were already shared by concurrent activations), so
/// interleaved calls cannot see each other's data.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class ScoringWorker(SiloEvaluator evaluators, TenantCache tenants, PrototypeReservoirCache reservoirs, Derived.ItemStatsCache itemStats, ScoringGate gate)
    : Grain, IScoringWorker
{
    /// <summary>
    /// Most compact scores in flight per silo (<see cref="ScoringGate"/>). Twice the encoder batcher's default batch
    /// (OnnxEncoderOptions.MaxBatchCount = 32 texts): a score brings at least one uncached text (its query), so 64 in
    /// flight fill the batch being inferred and the next one while it runs; beyond that, calls wait in the gate rather
    /// than as unbounded work in the silo.
    /// </summary>
    public const int MaxConcurrentScores = 64;

    /// <summary>The seed key of the individual level's subsamples: the same user and query always get the same schemes.</summary>
    public static string SeedKey(string userKey, string query) => $"{userKey}|{ItemIds.For(query)}";

    /// <inheritdoc />
    public async Task<ScoreResponse> ScoreAsync(ScoreRequest request, CancellationToken cancellationToken = default)
    {
        ValidateShape(request);
        var settings = (await tenants.RequireAsync(request.Tenant, cancellationToken)).Settings;
        ValidateLimits(request, settings);
        if (settings.Evaluator == TenantSettings.LlmEvaluator)
        {
            return await ServiceProvider.GetRequiredService<LlmScoring>()
                .ScoreAsync(GrainFactory, request, settings, ct => ScoreCompactAsync(request, settings, ct), cancellationToken);
        }

        return await ScoreCompactAsync(request, settings, cancellationToken);
    }

    private async Task<ScoreResponse> ScoreCompactAsync(ScoreRequest request, TenantSettings settings, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ScoreCompactGatedAsync(request, settings, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ScoreResponse> ScoreCompactGatedAsync(ScoreRequest request, TenantSettings settings, CancellationToken cancellationToken)
    {
        int m = request.M ?? settings.M, n = request.N ?? settings.N;
        string userKey = GrainKeys.User(request.Tenant, request.User);

        var evaluator = await evaluators.GetAsync(cancellationToken);
        var encoded = await evaluator.EncodeAsync(request.Query, request.Candidates, request.CandidateIds, cancellationToken);
        var (result, schemes) = await EvaluateAsync(
            GrainFactory, evaluators, reservoirs, itemStats, evaluator, request.Tenant, userKey, request.Query, encoded, m, n, cancellationToken);

        return new ScoreResponse(
            result.Rewards,
            TestTimeScaler.ArgMax(result.Rewards),
            encoded.Candidates.Select(c => c.ItemId).ToList(),
            schemes.IsColdStart,
            schemes.Prototype,
            schemes.Schemes.Count,
            n,
            result.Scaling.Neighbours,
            result.Scaling.Agreement,
            evaluator.ModelVersion,
            evaluator.Features.Bank.Version,
            null,
            Chain: request.Explain ? ChainRecords.From(result.Chain) : null);
    }

    /// <summary>
    /// The compact evaluator's dual-granularity scaling over what the grains hold: the user's m schemes, the candidates'
    /// item statistics (with their nearest judges when n &gt; 0) and the prototype's reservoir. The compact path's rewards,
    /// and the collaborative part the llm path fuses with its judge's scores (<see cref="TestTimeScaler.WithContent"/>).
    /// </summary>
    internal static async Task<(EvaluationResult Result, UserSchemes Schemes)> EvaluateAsync(
        IGrainFactory grains,
        SiloEvaluator evaluators,
        PrototypeReservoirCache reservoirs,
        Derived.ItemStatsCache itemStats,
        CompactEvaluator evaluator,
        string tenant,
        string userKey,
        string query,
        EncodedQuery encoded,
        int m,
        int n,
        CancellationToken cancellationToken)
    {
        var items = encoded.Candidates.Select(c => grains.GetGrain<IItemGrain>(GrainKeys.Item(tenant, c.ItemId))).ToArray();
        var user = grains.GetGrain<IUserGrain>(userKey);
        var schemeRequest = new SchemeRequest(encoded.Embedding, m, SeedKey(userKey, query));

        UserSchemes schemes;
        ItemStats[] stats;
        IReadOnlyList<PrototypeReservoirCache.PoolMember> members = [];
        if (n == 0)
        {
            // No prototype level: the user's schemes and the items' statistics are independent, so fetch them together.
            var schemesTask = user.GetSchemesAsync(schemeRequest, cancellationToken);
            // Through the silo's cache by (item, version): an unchanged item answers with nothing.
            var statsTask = Task.WhenAll(encoded.Candidates.Select(c => itemStats.GetAsync(GrainKeys.Item(tenant, c.ItemId), cancellationToken)));
            await Task.WhenAll(schemesTask, statsTask);
            schemes = await schemesTask;
            stats = await statsTask;
        }
        else
        {
            // The items pick their judges nearest to the user's key, so the user's answer comes first.
            schemes = await user.GetSchemesAsync(schemeRequest, cancellationToken);
            var statsTask = Task.WhenAll(items.Select(i => i.GetScoringStatsAsync(schemes.Sketch, userKey, n, cancellationToken)));
            var poolTask = schemes.Prototype is int prototype
                ? reservoirs.GetAsync(tenant, prototype, cancellationToken)
                : Task.FromResult<IReadOnlyList<PrototypeReservoirCache.PoolMember>>([]);
            await Task.WhenAll(statsTask, poolTask);
            stats = await statsTask;
            members = await poolTask;
        }

        if (!string.Equals(schemes.ModelVersion, evaluator.ModelVersion, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"User {userKey} is modelled under '{schemes.ModelVersion}' but this silo scores with '{evaluator.ModelVersion}'.");
        }

        double scale = evaluator.Model.ItemFactorPriorScale;
        var views = stats.Select((s, i) => ItemViews.From(s, encoded.Candidates[i].FactorPrior, scale)).ToList();
        var (pool, judges) = n > 0 ? PrototypeLevel(userKey, schemes.Sketch, encoded, stats, members) : ([], null);
        var scaling = evaluators.Scaling with { M = m, N = n };
        return (evaluator.Evaluate(schemes.Scheme, schemes.Schemes, schemes.IsColdStart, encoded, views, pool, judges, scaling), schemes);
    }

    /// <inheritdoc />
    public async Task<CompareResponse> CompareAsync(ScoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Candidates is not { Count: 2 })
        {
            throw new ArgumentException($"Compare needs exactly two candidates, got {request.Candidates?.Count ?? 0}.", nameof(ScoreRequest.Candidates));
        }

        var score = await ScoreAsync(request, cancellationToken);
        return new CompareResponse(BayesianLogistic.Sigmoid(score.Rewards[0] - score.Rewards[1]), score);
    }

    /// <summary>
    /// The pool (the prototype's reservoir without the user, most similar first) and each candidate's judges (the item's
    /// nearest distinct judges without the user), as ScaledScorer builds them in the evaluation. A neighbour's judgments
    /// are its mean sign per candidate item, read from the items' recent-judge lists; one scheme per judge (its latest).
    /// </summary>
    internal static (IReadOnlyList<Neighbour> Pool, IReadOnlyList<IReadOnlyList<Neighbour>> Judges) PrototypeLevel(
        string userKey, float[] userVector, EncodedQuery encoded, ItemStats[] stats, IReadOnlyList<PrototypeReservoirCache.PoolMember> members)
    {
        var sums = new Dictionary<string, Dictionary<string, (double Sum, int Count)>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < stats.Length; c++)
        {
            string item = encoded.Candidates[c].ItemId;
            if (!seen.Add(item))
            {
                continue;
            }

            foreach (var judge in stats[c].RecentJudges)
            {
                if (string.Equals(judge.JudgeId, userKey, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!sums.TryGetValue(judge.JudgeId, out var perItem))
                {
                    sums[judge.JudgeId] = perItem = new Dictionary<string, (double, int)>(StringComparer.Ordinal);
                }

                var (sum, count) = perItem.GetValueOrDefault(item);
                perItem[item] = (sum + judge.Sign, count + 1);
            }
        }

        var judgments = sums.ToDictionary(
            j => j.Key,
            j => (IReadOnlyDictionary<string, double>)j.Value.ToDictionary(i => i.Key, i => i.Value.Sum / i.Value.Count, StringComparer.Ordinal),
            StringComparer.Ordinal);
        IReadOnlyDictionary<string, double> JudgmentsOf(string id) =>
            judgments.TryGetValue(id, out var j) ? j : new Dictionary<string, double>(StringComparer.Ordinal);

        var latest = new Dictionary<string, ItemJudge>(StringComparer.Ordinal);
        foreach (var judge in stats.SelectMany(s => s.NearestJudges))
        {
            if (judge.Scheme is { Length: > 0 } && (!latest.TryGetValue(judge.JudgeId, out var known) || judge.At > known.At))
            {
                latest[judge.JudgeId] = judge;
            }
        }

        var judgeNeighbours = latest.Values.ToDictionary(
            j => j.JudgeId,
            j => new Neighbour(j.JudgeId, Array.ConvertAll(j.Scheme!, x => (double)x), VectorSimilarity.Cosine(j.Sketch ?? [], userVector), JudgmentsOf(j.JudgeId))
            {
                Evidence = JudgmentSketch.Evidence(j.Sketch ?? [], userVector),
                Sketch = j.Sketch is { Length: > 0 } sketch ? sketch : null,
            },
            StringComparer.Ordinal);
        var judges = stats
            .Select(s => (IReadOnlyList<Neighbour>)s.NearestJudges
                .Where(j => judgeNeighbours.ContainsKey(j.JudgeId) && !string.Equals(j.JudgeId, userKey, StringComparison.Ordinal))
                .Select(j => judgeNeighbours[j.JudgeId])
                .ToList())
            .ToList();

        var pool = SimilarityRanking.Rank(
                members.Where(p => !string.Equals(p.UserKey, userKey, StringComparison.Ordinal)), p => p.UserKey, p => VectorSimilarity.Cosine(p.Sketch, userVector))
            .Select(p => new Neighbour(p.Item.UserKey, p.Item.Scheme, p.Similarity, JudgmentsOf(p.Item.UserKey))
            {
                Evidence = JudgmentSketch.Evidence(p.Item.Sketch, userVector),
                Sketch = p.Item.Sketch.Length > 0 ? p.Item.Sketch : null,
            })
            .ToList();
        return (pool, judges);
    }

    private static void ValidateShape(ScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!GrainKeys.IsValidTenant(request.Tenant))
        {
            throw new ArgumentException($"Tenant must be 1–{GrainKeys.MaxTenantLength} ASCII letters, digits or '-'.", nameof(ScoreRequest.Tenant));
        }

        if (!GrainKeys.IsValidEntity(request.User))
        {
            throw new ArgumentException(
                $"User must be 1–{GrainKeys.MaxEntityLength} characters without '/', '\\', '#', '?' or control characters.", nameof(ScoreRequest.User));
        }

        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw new ArgumentException("Query must be non-empty.", nameof(ScoreRequest.Query));
        }

        if (request.Candidates is null || request.Candidates.Count == 0)
        {
            throw new ArgumentException("Candidates must hold at least one response.", nameof(ScoreRequest.Candidates));
        }

        for (int i = 0; i < request.Candidates.Count; i++)
        {
            if (request.Candidates[i] is null)
            {
                throw new ArgumentException($"Candidates[{i}] is null.", nameof(ScoreRequest.Candidates));
            }
        }

        if (request.CandidateIds is { } ids)
        {
            if (ids.Count != request.Candidates.Count)
            {
                throw new ArgumentException(
                    $"CandidateIds has {ids.Count} entries for {request.Candidates.Count} candidates.", nameof(ScoreRequest.CandidateIds));
            }

            for (int i = 0; i < ids.Count; i++)
            {
                if (ids[i] is not null && !GrainKeys.IsValidEntity(ids[i]))
                {
                    throw new ArgumentException(
                        $"CandidateIds[{i}] must be null or 1–{GrainKeys.MaxEntityLength} characters without '/', '\\', '#', '?' or control characters.",
                        nameof(ScoreRequest.CandidateIds));
                }
            }
        }

        if (request.M is { } m)
        {
            RequestLimits.Schemes(m, "m");
        }

        if (request.N is { } n)
        {
            RequestLimits.Neighbours(n, "n");
        }
    }

    private static void ValidateLimits(ScoreRequest request, TenantSettings settings)
    {
        if (request.Candidates.Count > settings.MaxCandidates)
        {
            throw new ArgumentException(
                $"Candidates has {request.Candidates.Count} responses; the tenant allows at most {settings.MaxCandidates}.", nameof(ScoreRequest.Candidates));
        }

        if (request.Query.Length > settings.MaxTextLength)
        {
            throw new ArgumentException(
                $"Query has {request.Query.Length} characters; the tenant allows at most {settings.MaxTextLength}.", nameof(ScoreRequest.Query));
        }

        for (int i = 0; i < request.Candidates.Count; i++)
        {
            if (request.Candidates[i].Length > settings.MaxTextLength)
            {
                throw new ArgumentException(
                    $"Candidates[{i}] has {request.Candidates[i].Length} characters; the tenant allows at most {settings.MaxTextLength}.",
                    nameof(ScoreRequest.Candidates));
            }
        }
    }
}

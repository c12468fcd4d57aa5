using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PGenRM.Core.Chains;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;

namespace PGenRM.Evaluators.Llm;

/// <summary>
/// The paper's generative judge with both levels of test-time user-based scaling. For two candidates: m chains conditioned
/// on the user's own h most query-relevant pairs (each chain sees the responses in an order drawn per sample, so position
/// bias cancels), the mean final score per response; n chains each conditioned on one nearest other user's pairs, their
/// mean; the two means fused 0.5/0.5 (one level alone when the other has no readable chain). More than two candidates are
/// scored pointwise against a reference: every other candidate is compared with candidate 0 under the same scaling,
/// takes its score from its comparison, and candidate 0 takes the mean of its scores (k − 1 comparisons; a tournament
/// would need more calls for the same purpose — a reward per candidate, not a ranking only).
/// Malformed answers get one repair turn; a chain still unreadable is dropped and counted; a judgment with no readable
/// chain is an <see cref="LlmJudgeException"/>, never a silent reward.
/// </summary>
public sealed partial class LlmJudge
{
    private readonly IChainSampler _sampler;
    private readonly IChainSampler _single;
    private readonly OpenAiNSampler? _nSampler;
    private readonly LlmJudgeOptions _options;
    private readonly IMemoryCache? _cache;
    private readonly LlmMetrics _metrics;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _modelTag;

    /// <summary>A judge over any chat client (one request per chain; for example ONNX Runtime GenAI on the silo's GPU).</summary>
    /// <param name="client">The model.</param>
    /// <param name="options">Sampling options (validated).</param>
    /// <param name="metrics">Shared metrics.</param>
    /// <param name="cache">Judgment cache, or null for none.</param>
    /// <param name="logger">Logger, or null.</param>
    public LlmJudge(IChatClient client, LlmJudgeOptions options, LlmMetrics metrics, IMemoryCache? cache = null, ILogger? logger = null)
        : this(options, metrics, cache, logger, gate => (new ChatClientSampler(client, options, gate, metrics), null))
    {
        ArgumentNullException.ThrowIfNull(client);
    }

    /// <summary>
    /// A judge over a configured endpoint. An OpenAI-compatible server: individual-level chains in one <c>n</c>-sampling
    /// request where it supports it. A model on this silo: one request per chain, at most the concurrency limit at once.
    /// </summary>
    /// <param name="endpoint">The endpoint (resilient HTTP pipeline).</param>
    /// <param name="options">Sampling options (validated); <see cref="LlmJudgeOptions.Model"/> names the served model.</param>
    /// <param name="metrics">Shared metrics.</param>
    /// <param name="cache">Judgment cache, or null for none.</param>
    /// <param name="logger">Logger, or null.</param>
    public LlmJudge(LlmEndpoint endpoint, LlmJudgeOptions options, LlmMetrics metrics, IMemoryCache? cache = null, ILogger? logger = null)
        : this(options, metrics, cache, logger, gate =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            if (endpoint.Local is IChatClient local)
            {
                return (new ChatClientSampler(local, options, gate, metrics), null);
            }

            var raw = endpoint.OpenAi!.GetChatClient(options.Model);
            var single = new ChatClientSampler(raw.AsIChatClient(), options, gate, metrics);
            return (single, new OpenAiNSampler(raw, single, options, gate, metrics));
        })
    {
    }

    private LlmJudge(
        LlmJudgeOptions options, LlmMetrics metrics, IMemoryCache? cache, ILogger? logger,
        Func<SemaphoreSlim, (IChainSampler Single, OpenAiNSampler? Multi)> samplers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        options.Validate();
        _options = options;
        _metrics = metrics;
        _cache = cache;
        _logger = logger ?? NullLogger.Instance;
        _modelTag = new("model", options.Model);
        var (single, multi) = samplers(new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency));
        _single = single;
        _nSampler = multi;
        _sampler = (IChainSampler?)multi ?? single;
    }

    /// <summary>The judge's options.</summary>
    public LlmJudgeOptions Options => _options;

    /// <summary>Identifies the judge in responses (<c>llm-judge/1 (model)</c>).</summary>
    public string ModelVersion => $"llm-judge/1 ({_options.Model})";

    /// <summary>Scores <paramref name="request"/>'s candidates.</summary>
    /// <exception cref="ArgumentException">The request is malformed.</exception>
    /// <exception cref="LlmJudgeException">No readable chain, or the model server failed (timeouts and open circuits included).</exception>
    public async Task<JudgeResult> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var key = CacheKey(request);
        if (_cache is not null && _cache.TryGetValue(key, out JudgeResult? cached) && cached is not null)
        {
            return cached with { Trace = cached.Trace with { Cached = true } };
        }

        var started = Stopwatch.GetTimestamp();
        var tally = new Tally();
        var neighbours = request.Neighbours.Take(request.N).ToList();
        var seed = StableHash.Seed(_options.Seed, $"{request.UserId}|{request.Query}");
        var random = new Random(seed);
        int k = request.Candidates.Count;
        var comparisons = new List<Comparison>(k - 1);
        try
        {
            for (int j = 1; j < k; j++)
            {
                comparisons.Add(await CompareAsync(request, neighbours, request.Candidates[0], request.Candidates[j], random, tally, cancellationToken)
                    .ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LlmJudgeException or ArgumentException) || IsTimeout(ex, cancellationToken))
        {
            throw new LlmJudgeException($"The model server '{_options.Model}' failed: {ex.Message}", ex);
        }

        var fused = new double[k];
        double[]? individual = comparisons.All(c => c.Individual is not null) ? new double[k] : null;
        double[]? prototype = comparisons.All(c => c.Prototype is not null) ? new double[k] : null;
        for (int j = 1; j < k; j++)
        {
            var c = comparisons[j - 1];
            fused[j] = c.Fused[1];
            fused[0] += c.Fused[0] / (k - 1);
            if (individual is not null)
            {
                individual[j] = c.Individual![1];
                individual[0] += c.Individual[0] / (k - 1);
            }

            if (prototype is not null)
            {
                prototype[j] = c.Prototype![1];
                prototype[0] += c.Prototype[0] / (k - 1);
            }
        }

        int preferred = TestTimeScaler.ArgMax(fused);
        var trace = new JudgeTrace(
            request.M, request.N, tally.Individual, tally.Prototype, individual, prototype,
            comparisons[0].IndividualWeight, neighbours.Select(n => n.Id).ToList(), tally.Swapped, tally.Requests,
            tally.Input, tally.Output, tally.Failures, tally.Repairs, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            _nSampler is { Supported: true } && request.M > 1, Cached: false);
        var chain = Chain(request, comparisons, fused, preferred, tally, neighbours);
        var result = new JudgeResult(fused, preferred, chain, trace);
        _cache?.Set(key, result, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _options.CacheDuration, Size = 1 });
        return result;
    }

    /// <summary>The cache key: model, user, user state version, m, n, query and each candidate (normalized-text hashes).</summary>
    internal string CacheKey(JudgeRequest request) =>
        $"llm|{_options.Model}|{request.UserId}|{request.StateVersion}|{request.M}|{request.N}|{ItemIds.For(request.Query)}|"
        + string.Join(",", request.Candidates.Select(c => ItemIds.For(c)));

    private static bool IsTimeout(Exception ex, CancellationToken caller) =>
        ex is OperationCanceledException && !caller.IsCancellationRequested;

    private static void Validate(JudgeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw new ArgumentException("Query must be non-empty.", nameof(request));
        }

        if (request.Candidates is not { Count: >= 2 })
        {
            throw new ArgumentException("The judge needs at least two candidates.", nameof(request));
        }

        if (request.M < 1 || request.N < 0)
        {
            throw new ArgumentException($"M must be at least 1 and N at least 0, got {request.M} and {request.N}.", nameof(request));
        }

        ArgumentNullException.ThrowIfNull(request.History);
        ArgumentNullException.ThrowIfNull(request.Neighbours);
    }

    private async Task<Comparison> CompareAsync(
        JudgeRequest request, IReadOnlyList<JudgeNeighbour> neighbours, string a, string b, Random random, Tally tally, CancellationToken ct)
    {
        // Individual level: the same prompt for all m chains except the order; one n-sampling request per order.
        var own = HistorySelection.Select(request.Query, request.History, _options.H);
        int swapped = 0;
        for (int i = 0; i < request.M; i++)
        {
            swapped += random.Next(2);
        }

        var individualTask = Task.WhenAll(
            LevelAsync(own, request, a, b, request.M - swapped, swap: false, _sampler, tally, isIndividual: true, ct),
            LevelAsync(own, request, a, b, swapped, swap: true, _sampler, tally, isIndividual: true, ct));

        // Prototype level: one chain per neighbour with the neighbour's history in place of the user's.
        var neighbourTasks = neighbours
            .Select(n => LevelAsync(
                HistorySelection.Select(request.Query, n.History, _options.H), request, a, b, 1, swap: random.Next(2) == 1,
                _single, tally, isIndividual: false, ct))
            .ToList();
        var individualParts = await individualTask.ConfigureAwait(false);
        var neighbourParts = await Task.WhenAll(neighbourTasks).ConfigureAwait(false);

        var ownAnswers = individualParts.SelectMany(p => p).ToList();
        var neighbourAnswers = neighbourParts.SelectMany(p => p).ToList();
        var ind = Mean(ownAnswers);
        var pro = neighbours.Count > 0 ? Mean(neighbourAnswers) : null;
        if (ind is null && pro is null)
        {
            throw new LlmJudgeException(
                $"The judge model '{_options.Model}' gave no readable chain out of {request.M + neighbours.Count} (one repair each); "
                + $"last problem: {tally.LastProblem}");
        }

        double wInd = ind is null ? 0 : pro is null ? 1 : 0.5;
        var fused = new double[2];
        for (int i = 0; i < 2; i++)
        {
            fused[i] = (wInd * (ind?[i] ?? 0)) + ((1 - wInd) * (pro?[i] ?? 0));
        }

        return new Comparison(fused, ind, pro, wInd, ownAnswers.Concat(neighbourAnswers).Select(x => x.Scores).ToList(), ownAnswers.FirstOrDefault());
    }

    /// <summary>Samples <paramref name="count"/> chains of one prompt and reads them back into candidate order (a, b).</summary>
    private async Task<List<JudgeAnswer>> LevelAsync(
        IReadOnlyList<JudgePair> history, JudgeRequest request, string a, string b, int count, bool swap, IChainSampler sampler,
        Tally tally, bool isIndividual, CancellationToken ct)
    {
        if (count == 0)
        {
            return [];
        }

        var prompt = JudgePrompt.Build(history, request.StatedPreference, request.Query, swap ? b : a, swap ? a : b);
        var batch = await sampler.SampleAsync(prompt, count, ct).ConfigureAwait(false);
        Record(batch, tally);
        var answers = await Task.WhenAll(batch.Texts.Select(t => ReadOrRepairAsync(prompt, t, tally, ct))).ConfigureAwait(false);
        var readable = answers.Where(x => x is not null).Select(x => swap ? Unswap(x!) : x!).ToList();
        tally.Count(readable.Count, isIndividual, swap);
        return readable;
    }

    private async Task<JudgeAnswer?> ReadOrRepairAsync(IReadOnlyList<ChatMessage> prompt, string text, Tally tally, CancellationToken ct)
    {
        string problem;
        try
        {
            return JudgeAnswer.Read(text);
        }
        catch (ChainFormatException ex)
        {
            problem = ex.Message;
        }

        _metrics.ParseFailures.Add(1, _modelTag);
        tally.Failure(problem);
        LogUnreadable(_logger, _options.Model, problem);
        var repaired = await _single.SampleAsync(JudgePrompt.Repair(prompt, text, problem), 1, ct).ConfigureAwait(false);
        Record(repaired, tally);
        tally.Repair();
        try
        {
            var answer = JudgeAnswer.Read(repaired.Texts[0]);
            _metrics.Repairs.Add(1, _modelTag);
            return answer;
        }
        catch (ChainFormatException ex)
        {
            _metrics.ParseFailures.Add(1, _modelTag);
            tally.Failure(ex.Message);
            LogUnreadable(_logger, _options.Model, ex.Message);
            return null;
        }
    }

    /// <summary>Counts a batch in the judgment's trace and in the metrics (repairs included: they cost tokens too).</summary>
    private void Record(SampleBatch batch, Tally tally)
    {
        tally.Add(batch);
        _metrics.InputTokens.Add(batch.InputTokens, _modelTag);
        _metrics.OutputTokens.Add(batch.OutputTokens, _modelTag);
        _metrics.Chains.Add(batch.Texts.Count, _modelTag);
    }

    private static JudgeAnswer Unswap(JudgeAnswer x) =>
        x with
        {
            Scores = [x.Scores[1], x.Scores[0]],
            CriterionScores = x.CriterionScores.Count == 2 ? [x.CriterionScores[1], x.CriterionScores[0]] : x.CriterionScores,
        };

    private static double[]? Mean(List<JudgeAnswer> answers) =>
        answers.Count == 0 ? null : [answers.Average(x => x.Scores[0]), answers.Average(x => x.Scores[1])];

    private EvaluationChain Chain(
        JudgeRequest request, List<Comparison> comparisons, double[] fused, int preferred, Tally tally, IReadOnlyList<JudgeNeighbour> neighbours)
    {
        // Persona and rubric: the user's first readable chain of the first comparison (the model's own words). A rubric
        // only for two candidates, where its per-criterion scores cover every response.
        var first = comparisons[0].FirstOwn;
        bool rubric = request.Candidates.Count == 2 && first is { Rubric.Count: > 0 };
        var responses = fused
            .Select((s, i) => new ResponseEvaluation(i, rubric ? first!.CriterionScores[i] : [], s, s))
            .ToList();
        int votes = comparisons.Sum(c => c.Votes.Count);
        int agree = comparisons.Sum(c => c.Votes.Count(v => (v[1] > v[0]) == (c.Fused[1] > c.Fused[0])));
        var scaling = new ScalingTrace(
            tally.Individual, tally.Prototype, neighbours.Select(n => n.Id).ToList(),
            votes == 0 ? 0 : (double)agree / votes, 1, 0, request.History.Count == 0);
        return new EvaluationChain(
            string.IsNullOrWhiteSpace(first?.Persona) ? "(the judge stated no persona)" : first!.Persona,
            "llm",
            "LLM judge",
            rubric ? first!.Rubric : [],
            responses,
            preferred,
            scaling,
            ModelVersion,
            "llm-open-rubric");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judge model {Model} answered an unreadable chain: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string model, string problem);

    private sealed record Comparison(
        double[] Fused, double[]? Individual, double[]? Prototype, double IndividualWeight, List<double[]> Votes, JudgeAnswer? FirstOwn);

    /// <summary>Counts of one judgment, updated from concurrent chains.</summary>
    private sealed class Tally
    {
        private readonly Lock _lock = new();

        public int Requests { get; private set; }

        public long Input { get; private set; }

        public long Output { get; private set; }

        public int Failures { get; private set; }

        public int Repairs { get; private set; }

        public int Individual { get; private set; }

        public int Prototype { get; private set; }

        public int Swapped { get; private set; }

        public string? LastProblem { get; private set; }

        public void Add(SampleBatch batch)
        {
            lock (_lock)
            {
                Requests += batch.Requests;
                Input += batch.InputTokens;
                Output += batch.OutputTokens;
            }
        }

        public void Failure(string problem)
        {
            lock (_lock)
            {
                Failures++;
                LastProblem = problem;
            }
        }

        public void Repair()
        {
            lock (_lock)
            {
                Repairs++;
            }
        }

        public void Count(int readable, bool individual, bool swapped)
        {
            lock (_lock)
            {
                if (individual)
                {
                    Individual += readable;
                }
                else
                {
                    Prototype += readable;
                }

                if (swapped)
                {
                    Swapped += readable;
                }
            }
        }
    }
}

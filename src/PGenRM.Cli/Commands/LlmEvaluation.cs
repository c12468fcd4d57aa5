using System.Globalization;
using System.Text;
using System.Text.Json;
using PGenRM.Evaluation.Data;
using PGenRM.Evaluation.Protocols;
using PGenRM.Evaluators.Llm;

namespace PGenRM.Cli.Commands;

/// <summary>
/// <c>eval --backend llm</c>: the existing protocols' splits scored by a generative judge. Each test pair of a user is
/// judged with the user's train pairs as history (the judge picks h = 3 by relevance), m own chains and n chains from
/// the n other users whose train queries overlap most with the user's (word Jaccard; the evaluation has no prototype
/// service). Correct = chosen scored above rejected; a tie counts half (the paper's plain script drops ties, its scaling
/// script gives them to response 1; half is the unbiased middle). Every judged pair is appended to
/// <c>llm-progress.jsonl</c> in the output folder, so a rerun resumes where it stopped; <c>--max-pairs</c> bounds the
/// pairs judged in total (resumed ones included).
/// </summary>
internal static class LlmEvaluation
{
    private sealed record Outcome(string Key, double? Chosen, double? Rejected, string? Error);

    public static async Task<int> RunAsync(
        IReadOnlyList<PreferenceDataset> datasets, IReadOnlyList<EvaluationProtocol> protocols, IReadOnlyList<int> seeds, string output,
        Uri endpoint, string model, int maxPairs, int m, int n, TextWriter console, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(output);
        string progressPath = Path.Combine(output, "llm-progress.jsonl");
        var done = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        if (File.Exists(progressPath))
        {
            foreach (var line in await File.ReadAllLinesAsync(progressPath, cancellationToken))
            {
                if (line.Length > 0 && JsonSerializer.Deserialize<Outcome>(line) is { } o)
                {
                    done[o.Key] = o;
                }
            }
        }

        using var judgeEndpoint = new LlmEndpoint(new LlmEndpointOptions
        {
            Name = "eval",
            Endpoint = endpoint,
            ApiKey = Environment.GetEnvironmentVariable("PGENRM_JUDGE_API_KEY"),
        });
        using var metrics = new LlmMetrics();
        var judge = new LlmJudge(judgeEndpoint, new LlmJudgeOptions { Model = model }, metrics);
        await using var progress = new StreamWriter(progressPath, append: true, System.Text.Encoding.UTF8);
        var writeLock = new SemaphoreSlim(1, 1);
        var rows = new List<string>();
        var json = new List<object>();
        int budget = maxPairs;

        foreach (var dataset in datasets)
        {
            foreach (var protocol in protocols)
            {
                foreach (int seed in seeds)
                {
                    var split = DataSplit.Create(dataset, protocol, new SplitOptions { Seed = seed });
                    var train = split.Train.Concat(split.UnseenTrain.Values.SelectMany(v => v))
                        .GroupBy(p => p.UserId, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Order).Select(p => Pair(dataset, p)).ToList(), StringComparer.Ordinal);
                    var words = train.ToDictionary(t => t.Key, t => HistorySelection.Words(string.Join(' ', t.Value.Select(p => p.Query))), StringComparer.Ordinal);
                    var tests = split.SeenTest.Concat(split.UnseenTest)
                        .OrderBy(t => t.Key, StringComparer.Ordinal)
                        .SelectMany(t => t.Value.OrderBy(p => p.Order))
                        .ToList();
                    var selected = new List<(string Key, PairJudgment Pair)>();
                    foreach (var pair in tests)
                    {
                        string key = string.Join('|', dataset.Name, protocol, seed.ToString(CultureInfo.InvariantCulture), pair.UserId, pair.ChosenId, pair.RejectedId);
                        if (done.ContainsKey(key) || budget > 0)
                        {
                            budget--;
                            selected.Add((key, pair));
                        }
                    }

                    await Parallel.ForEachAsync(
                        selected.Where(s => !done.ContainsKey(s.Key)),
                        new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                        async (s, ct) =>
                        {
                            var request = new JudgeRequest(
                                s.Pair.UserId,
                                0,
                                dataset.Prompts[s.Pair.PromptId].Text,
                                [dataset.Items[s.Pair.ChosenId].Text, dataset.Items[s.Pair.RejectedId].Text],
                                train.GetValueOrDefault(s.Pair.UserId) ?? [],
                                dataset.StatedPreferences.GetValueOrDefault(s.Pair.UserId),
                                Neighbours(s.Pair.UserId, n, train, words),
                                m,
                                n);
                            Outcome outcome;
                            try
                            {
                                var result = await judge.JudgeAsync(request, ct);
                                outcome = new Outcome(s.Key, result.Scores[0], result.Scores[1], null);
                            }
                            catch (LlmJudgeException e)
                            {
                                outcome = new Outcome(s.Key, null, null, e.Message);
                            }

                            await writeLock.WaitAsync(ct);
                            try
                            {
                                done[s.Key] = outcome;
                                await progress.WriteLineAsync(JsonSerializer.Serialize(outcome));
                                await progress.FlushAsync(ct);
                            }
                            finally
                            {
                                writeLock.Release();
                            }
                        });

                    var outcomes = selected.Select(s => done[s.Key]).ToList();
                    var scored = outcomes.Where(o => o.Error is null).ToList();
                    double correct = scored.Sum(o => o.Chosen > o.Rejected ? 1.0 : o.Chosen == o.Rejected ? 0.5 : 0.0);
                    int ties = scored.Count(o => o.Chosen == o.Rejected);
                    double accuracy = scored.Count == 0 ? double.NaN : 100 * correct / scored.Count;
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {dataset.Name} | {protocol} | {seed} | {scored.Count} | {accuracy:F2} | {ties} | {outcomes.Count - scored.Count} |"));
                    json.Add(new { dataset = dataset.Name, protocol = protocol.ToString(), seed, pairs = scored.Count, accuracy, ties, failed = outcomes.Count - scored.Count });
                }
            }
        }

        var markdown = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"# LLM judge evaluation ({model}, m = {m}, n = {n})\n\n")
            .Append("| dataset | protocol | seed | pairs | accuracy % | ties | failed |\n|---|---|---|---|---|---|---|\n")
            .AppendJoin('\n', rows)
            .Append('\n')
            .ToString();
        await File.WriteAllTextAsync(Path.Combine(output, "llm-evaluation.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "llm-evaluation.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }), cancellationToken);
        await console.WriteAsync(markdown);
        return 0;
    }

    private static JudgePair Pair(PreferenceDataset dataset, PairJudgment p) =>
        new(dataset.Prompts[p.PromptId].Text, dataset.Items[p.ChosenId].Text, dataset.Items[p.RejectedId].Text);

    private static List<JudgeNeighbour> Neighbours(
        string user, int n, Dictionary<string, List<JudgePair>> train, Dictionary<string, HashSet<string>> words)
    {
        if (n == 0 || !words.TryGetValue(user, out var own))
        {
            return [];
        }

        return words
            .Where(w => !string.Equals(w.Key, user, StringComparison.Ordinal))
            .OrderByDescending(w => HistorySelection.Jaccard(own, w.Value))
            .ThenBy(w => w.Key, StringComparer.Ordinal)
            .Take(n)
            .Select(w => new JudgeNeighbour(w.Key, train[w.Key]))
            .ToList();
    }
}

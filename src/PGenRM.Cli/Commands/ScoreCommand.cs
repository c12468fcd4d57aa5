using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PGenRM.Core.Chains;
using PGenRM.Core.Evaluator;
using PGenRM.Core.Model;
using PGenRM.Encoding.Onnx;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm score`: builds one user from feedback pairs (a JSONL file or the built-in demo), scores a query's
/// candidates with the compact evaluator and prints the evaluation chain. No cluster, no storage.
/// </summary>
internal static class ScoreCommand
{
    private static readonly (string Query, string Chosen, string Rejected)[] DemoFeedback =
    [
        ("How do I reverse a list in Python?",
         "Use slicing: `items[::-1]` returns a reversed copy; `items.reverse()` reverses in place.",
         "Great question! Reversing lists is something many programmers wonder about. There are several approaches, each with trade-offs, and it really depends on your situation. Let's explore them together in detail, starting with some background on how lists work."),
        ("What's a good way to start running?",
         "Run-walk three times a week: 1 minute running, 2 minutes walking, for 20 minutes. Add a minute of running each week.",
         "Running is a wonderful journey! Everyone's body is different, so listen to yourself, be kind to yourself, and remember that every step counts. You might consider talking to a professional before you begin."),
        ("How can I speed up a slow SQL query?",
         "Run EXPLAIN, add an index on the filtered columns, and avoid SELECT * so the index can cover the query.",
         "Performance tuning can be complex and there are many factors involved. It may depend on your database, your data and your workload, so it is hard to say without more information."),
    ];

    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Use the built-in demo user (prefers short, direct, concrete answers)." };
        var query = new Option<string?>("--query") { Description = "The query to score candidates for." };
        var candidates = new Option<string[]>("--candidate") { Description = "A candidate response (repeat for each).", AllowMultipleArgumentsPerToken = false };
        var feedback = new Option<string?>("--feedback") { Description = "JSONL file of {\"query\", \"chosen\", \"rejected\"} pairs that build the user." };
        var stated = new Option<string?>("--stated") { Description = "The user's stated preference, in their own words." };
        var m = new Option<int>("--m") { Description = "Individual-level schemes (1 = no individual scaling).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the chain as JSON instead of the paper's text shape." };
        var server = new Option<Uri?>("--server") { Description = "Score with a running service instead of locally (with --key and --user).", CustomParser = ServerConnectionOptions.ParseUri };
        var key = ServerConnectionOptions.Key();
        var user = new Option<string?>("--user") { Description = "With --server: the user to score for." };
        var command = new Command("score", "Score candidate responses for one user (built locally from feedback, or a user of a running service with --server), and print the evaluation chain.")
        {
            demo, query, candidates, feedback, stated, m, json, server, key, user,
        };
        command.SetAction((parse, cancellationToken) => parse.GetValue(server) is { } url
            ? RemoteAsync(url, parse.GetValue(key), parse.GetValue(user), parse.GetValue(query), parse.GetValue(candidates) ?? [], parse.GetValue(m), parse.GetValue(json), cancellationToken)
            : RunAsync(
                parse.GetValue(demo), parse.GetValue(query), parse.GetValue(candidates) ?? [], parse.GetValue(feedback),
                parse.GetValue(stated), parse.GetValue(m), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RemoteAsync(Uri server, string? keyOption, string? user, string? query, string[] candidates, int m, bool json, CancellationToken cancellationToken)
    {
        string? key = ServerConnectionOptions.ResolveKey(keyOption);
        if (key is null || string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(query) || candidates.Length < 1)
        {
            if (key is not null)
            {
                AnsiConsole.MarkupLine("[red]With --server give --user, --query and at least one --candidate.[/]");
            }

            return 2;
        }

        try
        {
            using var client = new ServiceClient(server, key);
            var response = await client.SendAsync(HttpMethod.Post, client.UserPath(user, "/score"), new { query, candidates, m, explain = true }, cancellationToken);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(response, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            var rewards = response.GetProperty("rewards").EnumerateArray().Select(r => r.GetDouble()).ToArray();
            int preferred = response.GetProperty("preferredIndex").GetInt32();
            var table = new Table().AddColumns("#", "reward", "candidate");
            for (int i = 0; i < rewards.Length; i++)
            {
                string text = candidates[i].Length > 80 ? candidates[i][..80] + "…" : candidates[i];
                table.AddRow((i == preferred ? "* " : "  ") + i.ToString(CultureInfo.InvariantCulture), rewards[i].ToString("F3", CultureInfo.InvariantCulture), Markup.Escape(text));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"cold start: {response.GetProperty("coldStart").GetBoolean()}, model {Markup.Escape(response.GetProperty("modelVersion").GetString() ?? "")}");
            return 0;
        }
        catch (Exception e) when (e is ServiceException or HttpRequestException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }

    private static async Task<int> RunAsync(bool demo, string? query, string[] candidates, string? feedbackPath, string? stated, int m, bool json, CancellationToken cancellationToken)
    {
        if (demo && query is null)
        {
            query = "How do I read a file line by line in C#?";
            candidates =
            [
                "Use `foreach (var line in File.ReadLines(path))` — it streams the file, so memory stays flat.",
                "There are many ways to read files in C#, and the best one depends on your needs. You could consider several APIs, each with advantages and disadvantages, so it is worth thinking carefully about your situation first.",
            ];
        }

        if (string.IsNullOrWhiteSpace(query) || candidates.Length < 1)
        {
            AnsiConsole.MarkupLine("[red]Give --query and at least one --candidate, or --demo.[/]");
            return 2;
        }

        if (m < 1 || m > 256)
        {
            AnsiConsole.MarkupLine("[red]--m must be between 1 and 256.[/]");
            return 2;
        }

        var pairs = new List<(string Query, string Chosen, string Rejected)>();
        if (feedbackPath is not null)
        {
            int line = 0;
            foreach (var text in await File.ReadAllLinesAsync(feedbackPath, cancellationToken))
            {
                line++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                try
                {
                    using var doc = JsonDocument.Parse(text);
                    pairs.Add((Required(doc, "query"), Required(doc, "chosen"), Required(doc, "rejected")));
                }
                catch (Exception error) when (error is JsonException or KeyNotFoundException)
                {
                    AnsiConsole.MarkupLine($"[red]{Markup.Escape($"{feedbackPath} line {line}: {error.Message}")}[/]");
                    return 2;
                }
            }
        }
        else if (demo)
        {
            pairs.AddRange(DemoFeedback);
        }

        using var encoder = new OnnxSentenceEncoder();
        var evaluator = await CompactEvaluator.CreateAsync(encoder, cancellationToken: cancellationToken);
        var user = new UserModel(evaluator.DefaultPrior(), evaluator.Model);
        foreach (var (q, chosen, rejected) in pairs)
        {
            var encodedPair = await evaluator.EncodeAsync(q, [chosen, rejected], cancellationToken: cancellationToken);
            user.Add(CompactEvaluator.Evidence(encodedPair,
                ItemView.Unseen(encodedPair.Candidates[0].FactorPrior), ItemView.Unseen(encodedPair.Candidates[1].FactorPrior)));
        }

        if (!string.IsNullOrWhiteSpace(stated))
        {
            user.SetStatedPreference(await evaluator.StatedPreferenceAsync(stated, query, cancellationToken));
        }

        var encoded = await evaluator.EncodeAsync(query, candidates, cancellationToken: cancellationToken);
        var items = encoded.Candidates.Select(c => ItemView.Unseen(c.FactorPrior)).ToList();
        var result = evaluator.Evaluate(user, encoded, items, [], new ScalingOptions { M = m }, "cli|" + query);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]user built from {user.PairCount} feedback pair(s); model {Markup.Escape(evaluator.ModelVersion)}[/]"));
        Console.WriteLine(json ? JsonSerializer.Serialize(result.Chain, new JsonSerializerOptions { WriteIndented = true }) : PaperChainFormat.Serialize(result.Chain));
        for (int i = 0; i < result.Rewards.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reward[{i}] = {result.Rewards[i]:F4}"));
        }

        Console.WriteLine($"preferred = {result.Chain.PreferredIndex}");
        return 0;
    }

    private static string Required(JsonDocument doc, string name) =>
        doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new KeyNotFoundException($"field '{name}' must be a non-empty string");
}

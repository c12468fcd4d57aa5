using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PGenRM.Cli.Load;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm load`: a bounded load generator for a running service (meant for loopback). Sends real feedback, score,
/// compare and /get_reward requests from --concurrency workers, counts every status (any non-2xx is an error and is
/// reported), and prints per kind: requests/s, p50/p95/p99 latency, errors. Exit code 1 when any request failed.
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var server = ServerConnectionOptions.Server();
        var key = ServerConnectionOptions.Key();
        var users = new Option<int>("--users") { Description = "Distinct users the requests are spread over (load-0 … load-{N-1}).", DefaultValueFactory = _ => 16 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Requests in flight at once (one worker each).", DefaultValueFactory = _ => 8 };
        var duration = new Option<double?>("--duration", "-d") { Description = "Stop issuing requests after this many seconds (default 10 when --requests is not given)." };
        var requests = new Option<long?>("--requests", "-n") { Description = "Stop after this many requests in all." };
        var mix = new Option<string>("--mix") { Description = "Shares of each kind: feedback, score, compare, get_reward (e.g. feedback=1,score=3).", DefaultValueFactory = _ => "feedback=1,score=1" };
        var candidates = new Option<int>("--candidates", "-k") { Description = "Candidates per score and /get_reward request (compare always sends 2).", DefaultValueFactory = _ => 2 };
        var repeat = new Option<double>("--repeat-texts") { Description = "Fraction of requests that reuse a small fixed set of texts (encoder cache hits); the rest send new texts.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the texts, users and kinds.", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before a request counts as failed.", DefaultValueFactory = _ => 60 };
        var json = new Option<string?>("--json") { Description = "Also write the summary as JSON to this file." };
        var command = new Command("load", "Bounded load generator: sends feedback/score/compare/get_reward requests to a running service and reports throughput, latency percentiles and errors per kind.")
        {
            server, key, users, concurrency, duration, requests, mix, candidates, repeat, seed, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? apiKey = ServerConnectionOptions.ResolveKey(parse.GetValue(key));
            if (apiKey is null)
            {
                return 2;
            }

            LoadSettings settings;
            try
            {
                double? seconds = parse.GetValue(duration);
                long? count = parse.GetValue(requests);
                settings = new LoadSettings(
                    parse.GetValue(server)!, apiKey, parse.GetValue(users), parse.GetValue(concurrency),
                    seconds is { } s ? Seconds(s, "--duration", LoadSettings.MaxDuration) : count is null ? TimeSpan.FromSeconds(10) : null,
                    count, LoadSettings.ParseMix(parse.GetValue(mix)!), parse.GetValue(candidates), parse.GetValue(repeat),
                    parse.GetValue(seed), Seconds(parse.GetValue(timeout), "--timeout", LoadSettings.MaxTimeout));
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(Describe(e))}[/]");
                return 2;
            }

            return await RunAsync(settings, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(LoadSettings settings, string? jsonPath, CancellationToken cancellationToken)
    {
        string tenant;
        try
        {
            // Validates the key's shape ('{tenant}.{secret}') the way the other service commands do.
            using var client = new ServiceClient(settings.Server, settings.Key);
            tenant = client.Tenant;
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(Describe(e))}[/]");
            return 2;
        }

        string runTag = "r" + Guid.NewGuid().ToString("N")[..8];
        var runner = new LoadRunner(settings, tenant, runTag);
        string bound = settings.Duration is { } d ? $"{d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : $"{settings.Requests} requests";
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"load: {settings.Server} tenant {tenant}, {settings.Users} users, concurrency {settings.Concurrency}, {bound}, mix {MixText(settings)}, {settings.Candidates} candidates, repeat-texts {settings.RepeatTexts}, seed {settings.Seed}, run {runTag}")));

        var run = runner.RunAsync(cancellationToken);
        bool live = AnsiConsole.Profile.Capabilities.Interactive;
        if (live)
        {
            var started = DateTime.UtcNow;
            await AnsiConsole.Live(Table(runner, TimeSpan.Zero, live: true)).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(500, CancellationToken.None));
                    context.UpdateTarget(Table(runner, DateTime.UtcNow - started, live: true));
                }

                // The live table ends as the final one, so that it is not printed twice.
                if (run.IsCompletedSuccessfully)
                {
                    context.UpdateTarget(Table(runner, run.Result, live: false));
                }
            });
        }

        // Ctrl+C stops the workers and abandons the requests in flight; what finished is still reported.
        TimeSpan elapsed = await run;
        if (!live)
        {
            AnsiConsole.Write(Table(runner, elapsed, live: false));
        }

        var summaries = LoadSettings.KindNames
            .Where(k => settings.Mix[k.Kind] > 0 || runner.Stats[k.Kind].Count > 0)
            .ToDictionary(k => k.Name, k => runner.Stats[k.Kind].Summarise(elapsed));
        long total = summaries.Values.Sum(s => s.Requests);
        long errors = summaries.Values.Sum(s => s.Errors);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {total} requests in {elapsed.TotalSeconds:F1} s = {total / Math.Max(elapsed.TotalSeconds, 1e-9):F1} requests/s, {errors} errors"));
        foreach (var (name, summary) in summaries.Where(s => s.Value.Errors > 0))
        {
            string statuses = string.Join(", ", summary.Statuses.Select(s => $"{s.Key}: {s.Value}"));
            string failures = summary.Failures.Count == 0 ? "" : "; " + string.Join("; ", summary.Failures.Select(f => $"{f.Key} ({f.Value})"));
            AnsiConsole.MarkupLine($"[red]{Markup.Escape($"{name}: statuses {statuses}{failures}")}[/]");
        }

        if (jsonPath is not null)
        {
            var report = new
            {
                server = settings.Server.ToString(),
                tenant,
                runTag,
                users = settings.Users,
                concurrency = settings.Concurrency,
                durationSeconds = settings.Duration?.TotalSeconds,
                requests = settings.Requests,
                mix = LoadSettings.KindNames.ToDictionary(k => k.Name, k => settings.Mix[k.Kind]),
                candidates = settings.Candidates,
                repeatTexts = settings.RepeatTexts,
                seed = settings.Seed,
                elapsedSeconds = elapsed.TotalSeconds,
                total,
                errors,
                kinds = summaries,
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), CancellationToken.None);
            AnsiConsole.MarkupLine($"[grey]summary written to {Markup.Escape(jsonPath)}[/]");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled: the numbers cover the requests that finished before.[/]");
            return 130;
        }

        return errors == 0 ? 0 : 1;
    }

    // The message names the option already; drop the " (Parameter 'x')" suffix .NET appends.
    private static string Describe(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    // Checked before the conversion: TimeSpan.FromSeconds throws OverflowException on infinities and huge values.
    private static TimeSpan Seconds(double value, string option, TimeSpan max) =>
        double.IsFinite(value) && value > 0 && value <= max.TotalSeconds
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{option} must be above 0 and at most {max.TotalSeconds:0} seconds, got {value}."), option);

    private static string MixText(LoadSettings settings) =>
        string.Join(",", LoadSettings.KindNames.Where(k => settings.Mix[k.Kind] > 0)
            .Select(k => k.Name + "=" + settings.Mix[k.Kind].ToString("0.###", CultureInfo.InvariantCulture)));

    private static Table Table(LoadRunner runner, TimeSpan elapsed, bool live)
    {
        // Short headers, so that the table fits 80 columns when the output is not a terminal.
        var table = new Table().AddColumns("kind", "reqs", "ok", "errors", "req/s", "p50", "p95", "p99", "max");
        table.Columns[0].NoWrap();
        table.Caption = new TableTitle(live ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F0} s; latency in ms") : "latency in ms");

        foreach (var (name, kind) in LoadSettings.KindNames)
        {
            var s = runner.Stats[kind].Summarise(elapsed);
            if (s.Requests == 0)
            {
                continue;
            }

            table.AddRow(
                name, N(s.Requests), N(s.Ok), s.Errors == 0 ? "0" : $"[red]{N(s.Errors)}[/]",
                F(s.RequestsPerSecond), F(s.P50Ms), F(s.P95Ms), F(s.P99Ms), F(s.MaxMs));
        }

        return table;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

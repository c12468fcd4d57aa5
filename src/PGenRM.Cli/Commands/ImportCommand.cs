using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm import`: sends a JSONL file of feedback into a tenant of a running service, in batches, with a progress bar.
/// Each line is one feedback item of the API ({"user", "id", "query", "chosen", "rejected"} or with "ratings"); a line
/// without "id" gets one derived from its content. Resumable: the number of acknowledged lines is kept in
/// FILE.import-progress and a rerun starts there, and the service applies an id at most once, so re-sending is safe.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var server = ServerConnectionOptions.Server();
        var key = ServerConnectionOptions.Key();
        var file = new Argument<FileInfo>("file") { Description = "JSONL of feedback items, one per line, each with a \"user\"." };
        var batch = new Option<int>("--batch") { Description = "Items per request (at most the tenant's maxBatch).", DefaultValueFactory = _ => 100 };
        var restart = new Option<bool>("--restart") { Description = "Ignore the progress file and send every line again (duplicates are ignored by id)." };
        var command = new Command("import", "Import a JSONL of feedback into a tenant of a running service (progress bar, resumable).")
        {
            file, server, key, batch, restart,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(file)!, parse.GetValue(server)!, parse.GetValue(key), parse.GetValue(batch), parse.GetValue(restart), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, Uri server, string? keyOption, int batchSize, bool restart, CancellationToken cancellationToken)
    {
        string? key = ServerConnectionOptions.ResolveKey(keyOption);
        if (key is null)
        {
            return 2;
        }

        if (!file.Exists)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(file.FullName)} does not exist.[/]");
            return 2;
        }

        if (batchSize is < 1 or > 10_000)
        {
            AnsiConsole.MarkupLine("[red]--batch must be between 1 and 10000.[/]");
            return 2;
        }

        string progressFile = file.FullName + ".import-progress";
        int done = !restart && File.Exists(progressFile) && int.TryParse(await File.ReadAllTextAsync(progressFile, cancellationToken), out int d) ? d : 0;
        var lines = await File.ReadAllLinesAsync(file.FullName, cancellationToken);
        var items = new List<(int Line, JsonElement Item)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                items.Add((i + 1, WithId(JsonDocument.Parse(lines[i]).RootElement, lines[i])));
            }
            catch (JsonException e)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(file.Name)} line {i + 1} is not JSON: {Markup.Escape(e.Message)}[/]");
                return 2;
            }
        }

        if (done > 0)
        {
            AnsiConsole.MarkupLine($"Resuming after line {done} ({Markup.Escape(progressFile)}).");
        }

        var pending = items.Where(x => x.Line > done).ToList();
        int applied = 0, duplicates = 0;
        var failures = new List<string>();
        try
        {
            using var client = new ServiceClient(server, key);
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"import into {Markup.Escape(client.Tenant)}", maxValue: Math.Max(1, pending.Count));
                    foreach (var chunk in pending.Chunk(batchSize))
                    {
                        var response = await client.SendAsync(HttpMethod.Post, $"/v1/tenants/{Uri.EscapeDataString(client.Tenant)}/feedback/batch",
                            new { items = chunk.Select(c => c.Item).ToList() }, cancellationToken);
                        var results = response.GetProperty("results").EnumerateArray().ToList();
                        for (int i = 0; i < results.Count; i++)
                        {
                            switch (results[i].GetProperty("status").GetString())
                            {
                                case "applied": applied++; break;
                                case "duplicate": duplicates++; break;
                                default:
                                    failures.Add($"line {chunk[i].Line}: {results[i].GetProperty("error").GetProperty("detail").GetString()}");
                                    break;
                            }
                        }

                        // Only lines up to the first failure count as done, so a rerun retries the failed ones.
                        if (failures.Count == 0)
                        {
                            await File.WriteAllTextAsync(progressFile, chunk[^1].Line.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                        }

                        task.Increment(chunk.Length);
                    }

                    task.Value = task.MaxValue;
                });
        }
        catch (Exception e) when (e is ServiceException or HttpRequestException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/] (rerun the same command to resume)");
            return 1;
        }

        AnsiConsole.MarkupLine($"{applied} applied, {duplicates} duplicates, {failures.Count} failed.");
        foreach (string failure in failures.Take(10))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(failure)}[/]");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The item with an "id": its own, or one derived from the line (so a re-import maps to the same id).</summary>
    private static JsonElement WithId(JsonElement item, string line)
    {
        if (item.ValueKind != JsonValueKind.Object || item.TryGetProperty("id", out _))
        {
            return item.Clone();
        }

        var fields = item.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        fields["id"] = "import-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(line)))[..24];
        return JsonSerializer.SerializeToElement(fields);
    }
}

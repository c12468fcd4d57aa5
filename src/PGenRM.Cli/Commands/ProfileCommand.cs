using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>`pgenrm profile`: a user's profile from a running service (counts, prototype, persona and rubric per scenario).</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var server = ServerConnectionOptions.Server();
        var key = ServerConnectionOptions.Key();
        var user = new Option<string>("--user") { Description = "The user id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the JSON the service returned." };
        var command = new Command("profile", "Show a user's profile from a running service.") { server, key, user, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(server)!, parse.GetValue(key), parse.GetValue(user)!, parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri server, string? keyOption, string user, bool json, CancellationToken cancellationToken)
    {
        string? key = ServerConnectionOptions.ResolveKey(keyOption);
        if (key is null)
        {
            return 2;
        }

        try
        {
            using var client = new ServiceClient(server, key);
            var profile = await client.SendAsync(HttpMethod.Get, client.UserPath(user, "/profile"), null, cancellationToken);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(profile, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(user)}[/] in tenant {Markup.Escape(client.Tenant)}: " +
                $"{profile.GetProperty("feedbackCount").GetInt64()} feedback items, prototype {(profile.TryGetProperty("prototype", out var p) ? p.ToString() : "none")}, " +
                $"{(profile.GetProperty("coldStart").GetBoolean() ? "cold start" : "personalised")}, stated preference: {(profile.GetProperty("hasStatedPreference").GetBoolean() ? "yes" : "no")}");
            foreach (var scenario in profile.GetProperty("scenarios").EnumerateArray())
            {
                AnsiConsole.MarkupLine($"\n[bold]{Markup.Escape(scenario.GetProperty("name").GetString() ?? "")}[/]: {Markup.Escape(scenario.GetProperty("persona").GetString() ?? "")}");
                var table = new Table().AddColumns("criterion", "weight %");
                foreach (var item in scenario.GetProperty("rubric").EnumerateArray())
                {
                    table.AddRow(Markup.Escape(item.GetProperty("name").GetString() ?? ""), item.GetProperty("weight").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
            }

            return 0;
        }
        catch (Exception e) when (e is ServiceException or HttpRequestException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }
}

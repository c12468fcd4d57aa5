using System.CommandLine;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm rebuild TENANT`: asks a running service (admin key) to replay the tenant's feedback logs into its derived
/// statistics (items, prototypes, population scheme) — the repair after a crash lost judgments not yet applied.
/// </summary>
internal static class RebuildCommand
{
    /// <summary>Environment variable read when --key is not given.</summary>
    public const string AdminKeyVariable = "PGENRM_ADMIN_KEY";

    public static Command Create()
    {
        var server = ServerConnectionOptions.Server();
        var key = new Option<string?>("--key") { Description = $"Admin key (default: ${AdminKeyVariable})." };
        var tenant = new Argument<string>("tenant") { Description = "The tenant whose item and prototype statistics are rebuilt from its feedback logs." };
        var command = new Command("rebuild", "Rebuild a tenant's derived statistics (items, prototypes, population) from its feedback logs.")
        {
            tenant, server, key,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(tenant)!, parse.GetValue(server)!, parse.GetValue(key), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string tenant, Uri server, string? keyOption, CancellationToken cancellationToken)
    {
        string? key = keyOption ?? Environment.GetEnvironmentVariable(AdminKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            AnsiConsole.MarkupLine($"[red]Give --key or set {AdminKeyVariable} to the admin key.[/]");
            return 2;
        }

        try
        {
            using var client = new ServiceClient(server, key, admin: true);
            var result = await AnsiConsole.Status().StartAsync(
                $"rebuilding {Markup.Escape(tenant)} from its feedback logs",
                _ => client.SendAsync(HttpMethod.Post, $"/v1/tenants/{Uri.EscapeDataString(tenant)}/rebuild", null, cancellationToken));
            AnsiConsole.MarkupLine(
                $"Rebuilt [bold]{Markup.Escape(tenant)}[/]: {result.GetProperty("users").GetInt32()} users, {result.GetProperty("items").GetInt32()} items, " +
                $"{result.GetProperty("prototypes").GetInt32()} prototypes from {result.GetProperty("entries").GetInt64()} log entries " +
                $"in {result.GetProperty("seconds").GetDouble():F1} s.");
            return 0;
        }
        catch (Exception e) when (e is ServiceException or HttpRequestException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }
}

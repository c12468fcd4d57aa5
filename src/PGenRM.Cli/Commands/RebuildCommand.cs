using System.CommandLine;
using Spectre.Console;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm rebuild TENANT`: asks a running service (admin key) to replay the tenant's feedback logs into its derived
/// statistics (items, prototypes, population scheme) — the repair after a crash lost judgments not yet applied. The
/// service runs it as a background job; the command polls the job's status until it ends (or, with --no-wait, prints
/// the job and returns).
/// </summary>
internal static class RebuildCommand
{
    /// <summary>Environment variable read when --key is not given.</summary>
    public const string AdminKeyVariable = "PGENRM_ADMIN_KEY";

    /// <summary>Time between two reads of a running job's status.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var server = ServerConnectionOptions.Server();
        var key = new Option<string?>("--key") { Description = $"Admin key (default: ${AdminKeyVariable})." };
        var tenant = new Argument<string>("tenant") { Description = "The tenant whose item and prototype statistics are rebuilt from its feedback logs." };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the job, print its id and status route, and return without waiting for it." };
        var command = new Command("rebuild", "Rebuild a tenant's derived statistics (items, prototypes, population) from its feedback logs.")
        {
            tenant, server, key, noWait,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(tenant)!, parse.GetValue(server)!, parse.GetValue(key), parse.GetValue(noWait), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string tenant, Uri server, string? keyOption, bool noWait, CancellationToken cancellationToken)
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
            string path = $"/v1/tenants/{Uri.EscapeDataString(tenant)}/rebuild";
            var job = await client.SendAsync(HttpMethod.Post, path, null, cancellationToken);
            string id = job.GetProperty("job").GetString()!;
            string status = $"{path}/{Uri.EscapeDataString(id)}";
            if (noWait)
            {
                AnsiConsole.MarkupLine($"Rebuild of [bold]{Markup.Escape(tenant)}[/] started: job {Markup.Escape(id)}, status at {Markup.Escape(status)}.");
                return 0;
            }

            job = await AnsiConsole.Status().StartAsync($"rebuilding {Markup.Escape(tenant)} from its feedback logs", async context =>
            {
                while (job.GetProperty("state").GetString() == "running")
                {
                    await Task.Delay(PollInterval, cancellationToken);
                    job = await client.SendAsync(HttpMethod.Get, status, null, cancellationToken);
                    context.Status($"rebuilding {Markup.Escape(tenant)}: {job.GetProperty("usersReplayed").GetInt32()} of {job.GetProperty("users").GetInt32()} users replayed");
                }

                return job;
            });
            if (job.GetProperty("state").GetString() != "succeeded")
            {
                AnsiConsole.MarkupLine($"[red]Rebuild of {Markup.Escape(tenant)} failed: {Markup.Escape(job.GetProperty("error").GetString() ?? "no reason given")}[/]");
                return 1;
            }

            AnsiConsole.MarkupLine(
                $"Rebuilt [bold]{Markup.Escape(tenant)}[/]: {job.GetProperty("usersReplayed").GetInt32()} users, {job.GetProperty("items").GetInt32()} items, " +
                $"{job.GetProperty("prototypes").GetInt32()} prototypes from {job.GetProperty("entries").GetInt64()} log entries " +
                $"in {job.GetProperty("seconds").GetDouble():F1} s.");
            return 0;
        }
        catch (Exception e) when (e is ServiceException or HttpRequestException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 1;
        }
    }
}

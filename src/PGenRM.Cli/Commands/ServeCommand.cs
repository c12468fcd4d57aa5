using System.CommandLine;
using PGenRM.Host.Hosting;

namespace PGenRM.Cli.Commands;

/// <summary>
/// `pgenrm serve`: runs the service (silo + HTTP API) in this process, exactly as `dotnet run --project src/PGenRM.Host`
/// does. Extra arguments are configuration (`--urls http://127.0.0.1:5080`, `--PGenRM:DataDirectory=.pgenrm`, ...).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the service (Orleans silo + HTTP API) with embedded defaults; extra arguments are configuration, e.g. --urls or --PGenRM:StorageConnectionString=...")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, cancellationToken) => PGenRMHost.RunAsync([.. parse.UnmatchedTokens], cancellationToken));
        return command;
    }
}

using System.CommandLine;
using PGenRM.Cli.Commands;

var root = new RootCommand("PGenRM: personalized rewards with test-time user-based scaling (P-GenRM).");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(ProfileCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(RebuildCommand.Create());
return await root.Parse(args).InvokeAsync();

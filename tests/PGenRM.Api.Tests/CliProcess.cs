using System.Diagnostics;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>Runs the built `pgenrm` executable (same configuration as the tests) and returns its exit code and output.</summary>
internal static class CliProcess
{
    /// <summary>Runs `pgenrm` with <paramref name="args"/>; stdout and stderr together.</summary>
    public static async Task<(int Code, string Output)> RunAsync(CancellationToken ct, params string[] args)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string dll = Path.Combine(RepositoryRoot.Find(), "src", "PGenRM.Cli", "bin", configuration, "net10.0", "linux-x64", "pgenrm.dll");
        Assert.True(File.Exists(dll), $"The CLI is not built at {dll}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A wide console, so that Spectre.Console does not wrap the lines the test reads.
        start.Environment["COLUMNS"] = "400";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}

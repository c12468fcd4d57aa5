using System.CommandLine;

namespace PGenRM.Cli.Commands;

/// <summary>The options every command that talks to a running service shares: --server and --key.</summary>
internal static class ServerConnectionOptions
{
    /// <summary>Environment variable read when --key is not given.</summary>
    public const string KeyVariable = "PGENRM_API_KEY";

    public static Option<Uri> Server() => new("--server")
    {
        Description = "The service's address.",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
        CustomParser = ParseUri,
    };

    /// <summary>An absolute http(s) URI, or a parse error naming the option (System.CommandLine does not convert Uri itself).</summary>
    public static Uri? ParseUri(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"--server must be an absolute http(s) address, got '{text}'.");
        return null;
    }

    public static Option<string?> Key() => new("--key") { Description = $"Tenant API key (default: ${KeyVariable})." };

    /// <summary>The key from the option or the environment, or null with a message printed.</summary>
    public static string? ResolveKey(string? key)
    {
        key ??= Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            Spectre.Console.AnsiConsole.MarkupLine($"[red]Give --key or set {KeyVariable} to a tenant API key.[/]");
            return null;
        }

        return key;
    }
}

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Finds the shared data folder (<c>shared/data</c>, which holds one folder per dataset). The repository is checked
/// out next to <c>shared/</c> (on developer machines and on CI alike), so the folder is <c>shared/data</c> beside some
/// ancestor of the running binary or of the current directory.
/// </summary>
public static class SharedDataLocator
{
    /// <summary>Environment variable that, when set, names the data folder directly and disables the search.</summary>
    public const string EnvironmentVariable = "PGENRM_DATA";

    /// <summary>Returns the full path of the shared data folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder was not found; the message lists every place that was tried.</exception>
    public static string Find() => Find(
        Environment.GetEnvironmentVariable(EnvironmentVariable),
        [AppContext.BaseDirectory, Directory.GetCurrentDirectory()]);

    /// <summary>Returns the full path of one dataset folder inside the shared data folder, e.g. <c>polis-opendata</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">The shared data folder or the dataset folder does not exist.</exception>
    public static string Find(string datasetFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetFolder);
        var path = Path.Combine(Find(), datasetFolder);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Dataset folder not found: {path}");
    }

    /// <summary>The search itself, with its inputs passed in so that tests need not touch the process environment.</summary>
    internal static string Find(string? environmentValue, IEnumerable<string> startDirectories)
    {
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            // An explicit setting that points nowhere is a mistake to report, not a reason to guess elsewhere.
            var configured = Path.GetFullPath(environmentValue);
            return Directory.Exists(configured)
                ? configured
                : throw new DirectoryNotFoundException($"{EnvironmentVariable} is set to '{environmentValue}', which is not a folder.");
        }

        var tried = new List<string>();
        foreach (var start in startDirectories)
        {
            for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "data");
                if (tried.Contains(candidate, StringComparer.Ordinal))
                {
                    continue;
                }

                tried.Add(candidate);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"The shared data folder was not found. Set {EnvironmentVariable} to it, or check out the repository next to 'shared/'. "
            + $"Looked in: {string.Join(", ", tried)}");
    }
}

namespace PGenRM.Testing;

/// <summary>Finds the repository root from the test binaries (the folder holding PGenRM.sln).</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest ancestor of the test assembly's folder, or of the working directory, that holds PGenRM.sln.</summary>
    public static string Find()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PGenRM.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"PGenRM.sln was not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; run the tests from a checkout of the repository.");
    }
}

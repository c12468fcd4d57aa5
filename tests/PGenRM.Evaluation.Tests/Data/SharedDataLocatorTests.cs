using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class SharedDataLocatorTests
{
    [Fact]
    public void Find_FromTheTestBinaries_FindsTheRealDataFolder()
    {
        var folder = SharedDataLocator.Find();

        Assert.True(File.Exists(Path.Combine(folder, "polis-opendata", "README.md")), folder);
    }

    [Fact]
    public void Find_WalksUpToSharedDataBesideAnAncestor()
    {
        using var temp = new TempDirectory();
        var data = Directory.CreateDirectory(Path.Combine(temp.Path, "shared", "data")).FullName;
        var deep = Directory.CreateDirectory(Path.Combine(temp.Path, "repo", "tests", "bin", "Debug")).FullName;

        Assert.Equal(data, SharedDataLocator.Find(environmentValue: null, [deep]));
    }

    [Fact]
    public void Find_PrefersTheEnvironmentVariable()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "shared", "data"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(temp.Path, "elsewhere")).FullName;

        Assert.Equal(elsewhere, SharedDataLocator.Find(elsewhere, [temp.Path]));
    }

    [Fact]
    public void Find_EnvironmentVariableNamingNoFolder_Throws()
    {
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "missing");
        Directory.CreateDirectory(Path.Combine(temp.Path, "shared", "data"));

        var ex = Assert.Throws<DirectoryNotFoundException>(() => SharedDataLocator.Find(missing, [temp.Path]));

        Assert.Contains(SharedDataLocator.EnvironmentVariable, ex.Message, StringComparison.Ordinal);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NothingFound_ListsEveryPlaceTried()
    {
        using var temp = new TempDirectory();
        var start = Directory.CreateDirectory(Path.Combine(temp.Path, "a", "b")).FullName;

        // The temp folder's own ancestors may hold a shared/data (a machine with /tmp/shared); then the locator must
        // return the nearest one, else it must list every place it tried.
        var ancestorHit = Ancestors(start).Select(d => Path.Combine(d, "shared", "data")).FirstOrDefault(Directory.Exists);
        if (ancestorHit is not null)
        {
            Assert.Equal(Path.GetFullPath(ancestorHit), Path.GetFullPath(SharedDataLocator.Find(null, [start])));
            return;
        }

        var ex = Assert.Throws<DirectoryNotFoundException>(() => SharedDataLocator.Find(null, [start]));

        Assert.Contains(Path.Combine(start, "shared", "data"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(temp.Path, "shared", "data"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(SharedDataLocator.EnvironmentVariable, ex.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }
}

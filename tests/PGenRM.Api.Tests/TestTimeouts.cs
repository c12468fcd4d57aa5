namespace PGenRM.Api.Tests;

/// <summary>Upper bounds that turn a hung call into a failure; many times the observed durations on a loaded 2-core machine.</summary>
internal static class TestTimeouts
{
    /// <summary>One API test, in milliseconds.</summary>
    public const int Api = 180_000;

    /// <summary>The test that starts the host as a child process, in milliseconds.</summary>
    public const int ChildHost = 300_000;
}

namespace PGenRM.Grains.Tests;

/// <summary>
/// Upper bounds that turn a hung cluster call into a failure instead of a stuck CI run. Not performance assertions:
/// they are many times the observed durations on a loaded 2-core machine.
/// </summary>
internal static class TestTimeouts
{
    /// <summary>One cluster test, in milliseconds.</summary>
    public const int Cluster = 180_000;
}

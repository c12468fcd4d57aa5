namespace PGenRM.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Placeholder_IsReplacedByRealTests() => Assert.Equal(2, 1 + 1);
}

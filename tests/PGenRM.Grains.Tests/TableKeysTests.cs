using PGenRM.Grains.Log;

namespace PGenRM.Grains.Tests;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("plain-id", "plain-id")]
    [InlineData("acme/alice", "acme%2Falice")]
    [InlineData("a#b?c\\d%e", "a%23b%3Fc%5Cd%25e")]
    [InlineData("tab\there\u0085ü", "tab%09here%85ü")]
    public void Escape_WritesForbiddenCharactersAsHex_AndUnescapeInvertsIt(string id, string key)
    {
        Assert.Equal(key, TableKeys.Escape(id));
        Assert.Equal(id, TableKeys.Unescape(key));
    }

    [Fact]
    public void Escape_KeepsDistinctIdsDistinct()
    {
        Assert.NotEqual(TableKeys.Escape("a/b"), TableKeys.Escape("a%2Fb"));
    }
}

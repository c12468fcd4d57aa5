using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class TextKeyTests
{
    [Fact]
    public void Normalize_TrimsAndCollapsesEveryKindOfWhiteSpace()
    {
        Assert.Equal("a b c", TextKey.Normalize("  a \r\n\t b\u00A0c "));
        Assert.Equal("", TextKey.Normalize(" \n "));
        Assert.Equal("Case Kept", TextKey.Normalize("Case   Kept"));
    }

    [Fact]
    public void Hash_IsPinned_BecauseItemIdsMustNotChangeBetweenVersions()
    {
        // SHA-256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e…; ids use its first 16 hex digits of the normalised text.
        Assert.Equal("2cf24dba5fb0a30e", TextKey.Hash("  hello\n"));
        Assert.Equal(TextKey.Hash("one two"), TextKey.Hash("one\t\ttwo "));
        Assert.NotEqual(TextKey.Hash("one two"), TextKey.Hash("One two"));
    }

    [Fact]
    public void StableHash_IsFnv1a()
    {
        Assert.Equal(unchecked((int)2166136261u), TextKey.StableHash(""));
        Assert.Equal(unchecked((int)0xE40C292Cu), TextKey.StableHash("a"));
    }
}

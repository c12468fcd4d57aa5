using PGenRM.Core.Criteria;

namespace PGenRM.Core.Tests.Criteria;

public sealed class TextFeaturesTests
{
    [Fact]
    public void Extract_CountsStructureCodeAndWordClasses()
    {
        const string text = """
            ## Plan
            Steps:
            - Maybe check the logs first.
            - I'd restart it!
            1. Run `make` for example, e.g. twice.
            2) Is it fixed?

            ```python
            # not a heading
            print("hi!?")
            ```
            It's 42 degrees in 2024.
            """;

        var f = TextFeatures.Extract(text);

        Assert.Equal(4, f.ListLines);
        Assert.Equal(2, f.HeadingLines);
        Assert.Equal(1, f.CodeBlocks);
        Assert.Equal(1, f.InlineCodeSpans);
        Assert.Equal(2, f.ExampleMarkers);
        Assert.Equal(1, f.HedgeWords);
        Assert.Equal(1, f.FirstPersonWords);
        Assert.Equal(2, f.NumericTokens);
        Assert.Equal(1, f.Exclamations);
        Assert.Equal(1, f.Questions);
        Assert.Equal(2, f.CasualMarkers);
        Assert.Equal(30, f.Words);
    }

    [Fact]
    public void Extract_EmptyText_IsAllZero() =>
        Assert.Equal(default, TextFeatures.Extract(string.Empty));
}

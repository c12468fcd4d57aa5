namespace PGenRM.Grains.Tests;

/// <summary>HistoryWindow.Trim: where the verbatim history starts in the log, including a rating set cut by the window.</summary>
public sealed class HistoryWindowTests
{
    [Fact]
    public void Trim_RatingSetStraddlingTheWindow_StartsAtItWithItsFoldedPairsSkipped()
    {
        // Entries 1 (a pair), 2 (a rating set of 3 pairs), 3 (a pair); the model keeps the newest 2 pairs.
        List<(long Sequence, int Pairs)> entries = [(1, 1), (2, 3), (3, 1)];

        var (from, skip) = HistoryWindow.Trim(entries, kept: 2);

        Assert.Equal((2L, 2), (from, skip));
        Assert.Equal([(2L, 3), (3L, 1)], entries);
    }

    [Fact]
    public void Trim_EverythingKept_StartsAtTheFirstEntryWithNothingSkipped()
    {
        List<(long Sequence, int Pairs)> entries = [(4, 2), (5, 1)];

        Assert.Equal((4L, 0), HistoryWindow.Trim(entries, kept: 3));
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public void Trim_NothingKept_EmptiesTheEntries()
    {
        List<(long Sequence, int Pairs)> entries = [(1, 1), (2, 1)];

        Assert.Equal((0L, 0), HistoryWindow.Trim(entries, kept: 0));
        Assert.Empty(entries);
    }
}

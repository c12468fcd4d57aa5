namespace PGenRM.Grains.Derived;

/// <summary>Sizes of a silo's <see cref="DerivedStatsPipeline"/>.</summary>
public sealed class DerivedStatsOptions
{
    /// <summary>
    /// Judgments the queue holds (about 1.5 KB each with the judge's scheme and key, so ~100 MB at the default). A full
    /// queue makes posting wait: the feedback's acknowledgment slows down, nothing is dropped.
    /// </summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>A flush starts once this many judgments are waiting.</summary>
    public int FlushJudgments { get; init; } = 512;

    /// <summary>A flush starts at the latest this long after the oldest waiting judgment was posted.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Sends of one item's batch before it is given up (logged and counted, repaired by the rebuild).</summary>
    public int MaxSendAttempts { get; init; } = 5;

    /// <summary>
    /// Least time from the end of one prototype write to the start of the next. A prototype's state is a fixed-size
    /// blob (≈ 570 KB at D = 80, docs/STORAGE.md "Prototypes"), so writing back to back on every report burst costs the
    /// store more in bytes than all the feedback's rows; reports arriving within the spacing ride one write, and a
    /// report's confirmation (off the acknowledgment path) waits at most this long plus the write. Zero: no spacing.
    /// </summary>
    public TimeSpan PrototypeWriteSpacing { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Items whose statistics a silo caches (<see cref="ItemStatsCache"/>; a few KB each).</summary>
    public int ItemCacheEntries { get; init; } = 20_000;
}

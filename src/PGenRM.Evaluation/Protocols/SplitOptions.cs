namespace PGenRM.Evaluation.Protocols;

/// <summary>How a dataset is split for one evaluation run.</summary>
public sealed record SplitOptions
{
    /// <summary>Seed of every random choice in the split.</summary>
    public int Seed { get; init; }

    /// <summary>Share of content (new content) or of each user's judgments (shared content) held out.</summary>
    public double TestFraction { get; init; } = 0.3;

    /// <summary>Share of users held out entirely (the unseen users of the cold-start curve).</summary>
    public double UnseenUserFraction { get; init; } = 0.2;

    /// <summary>Cap on train pairs per user (sampled with the seed), as in the feasibility study; 0 = all.</summary>
    public int MaxTrainPairsPerUser { get; init; } = 100;

    /// <summary>Cap on test pairs per user; 0 = all.</summary>
    public int MaxTestPairsPerUser { get; init; } = 50;

    /// <summary>
    /// Whether the dataset's own split column decides train and test (<see cref="Data.PairJudgment.SourceSplit"/>
    /// <c>train</c> / <c>test</c>; other rows are left out) instead of the protocol's seeded split. Unseen users and
    /// caps still follow the seed.
    /// </summary>
    public bool UseSourceSplit { get; init; }

    /// <summary>A seen user is evaluated only with at least this many train pairs.</summary>
    public int MinTrainPairsSeen { get; init; } = 10;

    /// <summary>An unseen user is evaluated only with at least this many train pairs (so that k up to it is possible).</summary>
    public int MinTrainPairsUnseen { get; init; } = 20;
}

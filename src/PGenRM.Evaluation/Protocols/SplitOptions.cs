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

    /// <summary>Cap on train pairs per user (sampled with the seed), as in the feasibility study.</summary>
    public int MaxTrainPairsPerUser { get; init; } = 100;

    /// <summary>Cap on test pairs per user.</summary>
    public int MaxTestPairsPerUser { get; init; } = 50;

    /// <summary>A seen user is evaluated only with at least this many train pairs.</summary>
    public int MinTrainPairsSeen { get; init; } = 10;

    /// <summary>An unseen user is evaluated only with at least this many train pairs (so that k up to it is possible).</summary>
    public int MinTrainPairsUnseen { get; init; } = 20;
}

namespace PGenRM.Grains.Abstractions;

/// <summary>What happened to a feedback item.</summary>
[GenerateSerializer, Alias("PGenRM.FeedbackStatus")]
public enum FeedbackStatus
{
    /// <summary>Applied now and durably stored.</summary>
    Applied = 0,

    /// <summary>The feedback id was applied before; nothing changed.</summary>
    Duplicate = 1,
}

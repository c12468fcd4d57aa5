namespace PGenRM.Grains.Abstractions;

/// <summary>A recent judge of an item and its choice (for the prototype level: similar users' actual judgments).</summary>
/// <param name="JudgeId">The judging user's grain key.</param>
/// <param name="Sign">+1 = chosen, −1 = rejected.</param>
/// <param name="At">When.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ItemJudge")]
public sealed record ItemJudge(
    [property: Id(0)] string JudgeId,
    [property: Id(1)] int Sign,
    [property: Id(2)] DateTimeOffset At);

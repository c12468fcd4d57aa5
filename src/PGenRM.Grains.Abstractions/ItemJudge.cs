namespace PGenRM.Grains.Abstractions;

/// <summary>A recent judge of an item and its choice (for the prototype level: similar users' actual judgments).</summary>
/// <param name="JudgeId">The judging user's grain key.</param>
/// <param name="Sign">+1 = chosen, −1 = rejected.</param>
/// <param name="At">When.</param>
/// <param name="Prototype">The judge's prototype at the time, or null.</param>
/// <param name="Scheme">The judge's scheme θ after the judgment; set only in <see cref="ItemStats.NearestJudges"/> (null in the light list).</param>
/// <param name="Sketch">The judge's judgment sketch after the judgment; set only in <see cref="ItemStats.NearestJudges"/> (null in the light list).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ItemJudge")]
public sealed record ItemJudge(
    [property: Id(0)] string JudgeId,
    [property: Id(1)] int Sign,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int? Prototype = null,
    [property: Id(4)] float[]? Scheme = null,
    [property: Id(5)] float[]? Sketch = null);

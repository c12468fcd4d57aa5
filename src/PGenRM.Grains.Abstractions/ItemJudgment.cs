namespace PGenRM.Grains.Abstractions;

/// <summary>
/// One user's judgment of an item, sent by the user grain after a feedback pair. Carries what the item's online fit
/// needs: the judge's scheme (its factor part p), the item's content-derived factor prior u, and the part of the
/// pair's margin the item does not own.
/// </summary>
/// <param name="JudgmentId">Idempotency key ("{user key}/{feedback id}"): recording it twice counts once.</param>
/// <param name="JudgeId">The judging user's grain key.</param>
/// <param name="Sign">+1 = the item was chosen, −1 = rejected.</param>
/// <param name="JudgeScheme">The judge's scheme θ = [w; p] after the pair (snapshot).</param>
/// <param name="FactorPrior">The item's scaled content factor prior u (length F).</param>
/// <param name="Rest">Margin part owned by the judge's content weights and the other item.</param>
/// <param name="Weight">Weight of the pair.</param>
/// <param name="At">When the judgment was made.</param>
/// <param name="JudgeSketch">The judge's judgment sketch after the pair; null or empty = unknown (similarity 0).</param>
/// <param name="JudgePrototype">The judge's prototype, or null before clustering (the item tallies wins and losses per prototype).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ItemJudgment")]
public sealed record ItemJudgment(
    [property: Id(0)] string JudgmentId,
    [property: Id(1)] string JudgeId,
    [property: Id(2)] int Sign,
    [property: Id(3)] float[] JudgeScheme,
    [property: Id(4)] float[] FactorPrior,
    [property: Id(5)] double Rest,
    [property: Id(6)] double Weight,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] float[]? JudgeSketch = null,
    [property: Id(9)] int? JudgePrototype = null);

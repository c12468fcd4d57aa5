namespace PGenRM.Grains.Abstractions;

/// <summary>A user's individual level for one query.</summary>
/// <param name="Schemes">The individual-level schemes (TestTimeScaler.IndividualSchemes: m subsample fits, or the posterior
/// mean alone when m = 1 or the history holds fewer than two pairs).</param>
/// <param name="IsColdStart">No feedback and no stated preference: the schemes are the prototype prior's.</param>
/// <param name="Prototype">The user's prototype, or null.</param>
/// <param name="Sketch">The user's judgment sketch (empty before the first pair).</param>
/// <param name="FeedbackCount">Feedback items applied.</param>
/// <param name="ModelVersion">Model the schemes belong to.</param>
/// <param name="Scheme">The posterior mean θ (the chain's rubric weights come from it).</param>
[GenerateSerializer, Immutable, Alias("PGenRM.UserSchemes")]
public sealed record UserSchemes(
    [property: Id(0)] IReadOnlyList<double[]> Schemes,
    [property: Id(1)] bool IsColdStart,
    [property: Id(2)] int? Prototype,
    [property: Id(3)] float[] Sketch,
    [property: Id(4)] long FeedbackCount,
    [property: Id(5)] string ModelVersion,
    [property: Id(6)] double[] Scheme);

namespace PGenRM.Core.Scenarios;

/// <summary>
/// A kind of query (advice, technical, …). A user's criterion weights are kept per scenario because the same
/// person can want terse code answers and warm, detailed advice.
/// </summary>
/// <param name="Id">Stable lower-case slug, for example <c>advice</c>.</param>
/// <param name="Name">Display name used in the persona ("For advice queries, …"); reads well in lower case.</param>
/// <param name="Descriptions">A summary sentence and typical queries; their mean embedding is the scenario centroid.</param>
public sealed record Scenario(string Id, string Name, IReadOnlyList<string> Descriptions);

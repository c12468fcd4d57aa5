namespace PGenRM.Grains.Abstractions;

/// <summary>Judgments of one item, batched by a silo's derived-statistics pipeline.</summary>
/// <param name="Judgments">The judgments, in the order the users' grains posted them.</param>
[GenerateSerializer, Immutable, Alias("PGenRM.ItemJudgmentBatch")]
public sealed record ItemJudgmentBatch([property: Id(0)] IReadOnlyList<ItemJudgment> Judgments);

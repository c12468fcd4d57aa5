namespace PGenRM.Grains;

/// <summary>Wins and losses of an item among one prototype's judges, in <see cref="ItemState"/>.</summary>
/// <remarks>Part of the stored <see cref="ItemState"/> (Orleans serializer, fields by <c>[Id]</c>): never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.StoredTally")]
public sealed class StoredTally
{
    /// <summary>The judges' prototype, or null for judges not yet clustered.</summary>
    [Id(0)] public int? Prototype { get; set; }

    /// <summary>Times chosen.</summary>
    [Id(1)] public long Wins { get; set; }

    /// <summary>Times rejected.</summary>
    [Id(2)] public long Losses { get; set; }
}

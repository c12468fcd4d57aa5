namespace PGenRM.Grains;

/// <summary>A recent judge in <see cref="ItemState"/>.</summary>
/// <remarks>Part of the stored <see cref="ItemState"/> (Orleans serializer, fields by <c>[Id]</c>): never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.StoredJudge")]
public sealed class StoredJudge
{
    /// <summary>The judging user's grain key.</summary>
    [Id(0)] public string JudgeId { get; set; } = "";

    /// <summary>+1 = chosen, −1 = rejected.</summary>
    [Id(1)] public int Sign { get; set; }

    /// <summary>When.</summary>
    [Id(2)] public DateTimeOffset At { get; set; }

    /// <summary>The judge's prototype at the time, or null.</summary>
    [Id(3)] public int? Prototype { get; set; }

    /// <summary>The judge's scheme θ after the judgment (empty in entries stored before it was kept).</summary>
    [Id(4)] public float[] Scheme { get; set; } = [];

    /// <summary>The judge's judgment sketch after the judgment (empty if unknown).</summary>
    [Id(5)] public float[] Sketch { get; set; } = [];
}

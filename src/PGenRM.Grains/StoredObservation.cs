using PGenRM.Core.Model;

namespace PGenRM.Grains;

/// <summary>One item-side observation in <see cref="ItemState"/> (a <see cref="LogisticObservation"/> as plain values).</summary>
/// <remarks>Part of the stored <see cref="ItemState"/> (Orleans serializer, fields by <c>[Id]</c>): never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.StoredObservation")]
public sealed class StoredObservation
{
    /// <summary>Features sign·[1; p].</summary>
    [Id(0)] public double[] Features { get; set; } = [];

    /// <summary>Fixed margin part.</summary>
    [Id(1)] public double Offset { get; set; }

    /// <summary>Weight.</summary>
    [Id(2)] public double Weight { get; set; } = 1;

    /// <summary>Captures an observation.</summary>
    public static StoredObservation From(LogisticObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new StoredObservation { Features = observation.Features, Offset = observation.Offset, Weight = observation.Weight };
    }

    /// <summary>The observation as the learner takes it.</summary>
    public LogisticObservation ToObservation() => new(Features, Offset, Weight);
}

using PGenRM.Core.Model;

namespace PGenRM.Grains;

/// <summary>One feedback pair in <see cref="UserState"/>: <see cref="PairEvidence"/> as plain arrays plus its feedback id.</summary>
/// <remarks>
/// Stored packed by <see cref="Storage.UserStatePacker"/> (vectors as float32, the query embedding as float16) and
/// serialized by Orleans: never renumber ids or rename the alias.
/// </remarks>
[GenerateSerializer, Alias("PGenRM.StoredPair")]
public sealed class StoredPair
{
    /// <summary>The client's feedback id.</summary>
    [Id(0)] public string FeedbackId { get; set; } = "";

    /// <summary>Item id of the chosen response.</summary>
    [Id(1)] public string ChosenItemId { get; set; } = "";

    /// <summary>Item id of the rejected response.</summary>
    [Id(2)] public string RejectedItemId { get; set; } = "";

    /// <summary>x(q, chosen) − x(q, rejected).</summary>
    [Id(3)] public double[] ContentDiff { get; set; } = [];

    /// <summary>Chosen item's strength at feedback time.</summary>
    [Id(4)] public double ChosenStrength { get; set; }

    /// <summary>Chosen item's factor v at feedback time.</summary>
    [Id(5)] public double[] ChosenFactor { get; set; } = [];

    /// <summary>Rejected item's strength at feedback time.</summary>
    [Id(6)] public double RejectedStrength { get; set; }

    /// <summary>Rejected item's factor v at feedback time.</summary>
    [Id(7)] public double[] RejectedFactor { get; set; } = [];

    /// <summary>Query embedding (query-relevant resampling at test time).</summary>
    [Id(8)] public float[] QueryEmbedding { get; set; } = [];

    /// <summary>Weight of the pair.</summary>
    [Id(9)] public double Weight { get; set; } = 1;

    /// <summary>When the user gave the feedback.</summary>
    [Id(10)] public DateTimeOffset At { get; set; }

    /// <summary>
    /// Captures a pair, rounded to the precision storage keeps (vectors float32, query embedding float16), so that
    /// the pair an activation learns from is exactly the pair it reloads. Feed the model <see cref="ToEvidence"/>.
    /// </summary>
    public static StoredPair From(string feedbackId, PairEvidence evidence, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return new StoredPair
        {
            FeedbackId = feedbackId,
            ChosenItemId = evidence.ChosenItemId,
            RejectedItemId = evidence.RejectedItemId,
            ContentDiff = Array.ConvertAll(evidence.ContentDiff, Storage.UserStatePacker.RoundToSingle),
            ChosenStrength = evidence.Chosen.Strength,
            ChosenFactor = Array.ConvertAll(evidence.Chosen.Factor, Storage.UserStatePacker.RoundToSingle),
            RejectedStrength = evidence.Rejected.Strength,
            RejectedFactor = Array.ConvertAll(evidence.Rejected.Factor, Storage.UserStatePacker.RoundToSingle),
            QueryEmbedding = Array.ConvertAll(evidence.QueryEmbedding, Storage.UserStatePacker.RoundToHalf),
            Weight = evidence.Weight,
            At = at,
        };
    }

    /// <summary>The pair as the model takes it.</summary>
    public PairEvidence ToEvidence() => new(
        ChosenItemId,
        RejectedItemId,
        ContentDiff,
        new ItemView(ChosenStrength, ChosenFactor),
        new ItemView(RejectedStrength, RejectedFactor),
        QueryEmbedding,
        Weight);
}

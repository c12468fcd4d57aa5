namespace PGenRM.Grains.Log;

/// <summary>
/// One accepted feedback operation as the feedback log keeps it (one row, written once): the texts and ids export,
/// delete and chains need, and the pairs exactly as the user learned them, so a replay of the log rebuilds the user and
/// the derived statistics without the encoder.
/// </summary>
/// <remarks>Serialized by Orleans inside the row: never renumber ids or rename the alias.</remarks>
[GenerateSerializer, Alias("PGenRM.LogEntry")]
public sealed class LogEntry
{
    /// <summary>The client's feedback id (the row key is derived from it).</summary>
    [Id(0)] public string FeedbackId { get; set; } = "";

    /// <summary>The user's log sequence, 1, 2, … in the order the grain applied the operations.</summary>
    [Id(1)] public long Sequence { get; set; }

    /// <summary>The prompt.</summary>
    [Id(2)] public string Query { get; set; } = "";

    /// <summary>The responses: chosen then rejected for a pair, the rated responses in request order for ratings.</summary>
    [Id(3)] public List<string> Texts { get; set; } = [];

    /// <summary>The item id of each response (given or derived from its text), parallel to <see cref="Texts"/>.</summary>
    [Id(4)] public List<string> ItemIds { get; set; } = [];

    /// <summary>The ratings, parallel to <see cref="Texts"/>; null for a pair.</summary>
    [Id(5)] public double[]? Ratings { get; set; }

    /// <summary>The pairs as applied (<see cref="Storage.UserStatePacker.PackPairs"/>).</summary>
    [Id(6)] public byte[] PackedPairs { get; set; } = [];

    /// <summary>When the user gave the feedback.</summary>
    [Id(7)] public DateTimeOffset At { get; set; }

    /// <summary>Each item's content factor prior u (unscaled), parallel to <see cref="ItemIds"/>, for re-recording judgments on replay.</summary>
    [Id(8)] public List<float[]> FactorPriors { get; set; } = [];

    /// <summary>
    /// The user's scheme θ = [w; p] before this operation (known before the fit, so the row is appended before the model
    /// changes), float32 as raw bytes: what the items' judgments carry; empty in entries written before it was kept (rows
    /// of an earlier version hold the scheme after their operation). A replay re-sends exactly the live judgments from it.
    /// </summary>
    [Id(9)] public byte[] JudgeScheme { get; set; } = [];

    /// <summary>The user's prototype before the operation (the items' per-prototype tallies), or null.</summary>
    [Id(10)] public int? JudgePrototype { get; set; }

    /// <summary>The pairs as applied.</summary>
    public List<StoredPair> Pairs() => Storage.UserStatePacker.UnpackPairs(PackedPairs);

    /// <summary>The text of an item of this entry, or "" when the entry does not hold it.</summary>
    public string TextOf(string itemId)
    {
        int i = ItemIds.IndexOf(itemId);
        return i >= 0 && i < Texts.Count ? Texts[i] : "";
    }
}

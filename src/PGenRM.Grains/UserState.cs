using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// What a user grain stores (storage "users", state "user"): a checkpoint, bounded whatever the history length. The
/// <see cref="PGenRM.Core.Model.UserModel"/> is rebuilt from it and the feedback log on activation: the verbatim history
/// (HybridModelOptions.HistoryCapacity pairs) from the log entries from <see cref="HistoryFromSequence"/>, older pairs
/// from <see cref="FoldedMean"/>/<see cref="FoldedPrecision"/>; recent feedback ids bounded by <see cref="UserGrain.RecentWindow"/>.
/// Idempotency is the feedback log's (its row key), not the state's.
/// </summary>
/// <remarks>
/// Stored by <see cref="Storage.UserStatePacker"/> (history packed, every other field through the Orleans serializer by
/// its [Id]) and serialized by Orleans: never renumber ids or rename the alias. A new field needs only an [Id] (11–19
/// storage, 20–29 membership, 30+ scoring).
/// </remarks>
[GenerateSerializer, Alias("PGenRM.UserState")]
public sealed class UserState
{
    /// <summary>
    /// Pairs kept verbatim in the state: empty since the feedback log (the grain reloads its verbatim history from the
    /// log, <see cref="HistoryFromSequence"/>); the packer still reads and writes the field.
    /// </summary>
    [Id(0)] public List<StoredPair> History { get; set; } = [];

    /// <summary>Centre of the folded evidence (empty while nothing is folded).</summary>
    [Id(1)] public float[] FoldedMean { get; set; } = [];

    /// <summary>Precision of the folded evidence, its upper triangle as <see cref="PGenRM.Core.Model.PackedSymmetric"/> packs it (empty while nothing is folded).</summary>
    [Id(2)] public float[] FoldedPrecision { get; set; } = [];

    /// <summary>Pairs folded.</summary>
    [Id(3)] public int FoldedCount { get; set; }

    /// <summary>Stated-preference pseudo-pair in content space, or null.</summary>
    [Id(4)] public double[]? StatedPreference { get; set; }

    /// <summary>The stated-preference text (kept for export).</summary>
    [Id(5)] public string? StatedPreferenceText { get; set; }

    // Id 6 (the de-duplication id list) is retired: the feedback log's row key rejects a repeated id. Never reuse it.

    /// <summary>Feedback items applied in total.</summary>
    [Id(7)] public long FeedbackCount { get; set; }

    // Id 8 (the sketch as float64) is retired: the sketch is stored as float32 under id 15. Never reuse it.

    /// <summary>Random sketch of the user's judgments (what neighbours are compared on, see JudgmentSketch) as float32; empty before the first pair.</summary>
    [Id(15)] public float[] JudgmentSketch { get; set; } = [];

    /// <summary>The user's prototype, or null before clustering.</summary>
    [Id(9)] public int? Prototype { get; set; }

    /// <summary>The evaluator's model version the stored vectors belong to.</summary>
    [Id(10)] public string? ModelVersion { get; set; }

    /// <summary>Sequence of the last feedback-log entry applied to this state (entries above it are the tail replayed on activation).</summary>
    [Id(11)] public long LogSequence { get; set; }

    /// <summary>Feedback ids of the most recent operations, oldest first (at most <see cref="UserGrain.RecentWindow"/>; their texts live in the log).</summary>
    [Id(12)] public List<string> RecentFeedback { get; set; } = [];

    /// <summary>The first log sequence whose pairs are in the model's verbatim history (0: none).</summary>
    [Id(13)] public long HistoryFromSequence { get; set; }

    /// <summary>Pairs of the entry at <see cref="HistoryFromSequence"/> that were already folded (a rating set straddling the window).</summary>
    [Id(14)] public int HistorySkip { get; set; }

    /// <summary>The directory version the user's prototype and prior were last checked against.</summary>
    [Id(20)] public long MembershipVersion { get; set; }

    /// <summary>
    /// The contribution (scheme) the user's prototype holds once <see cref="Outbox"/> is applied: what the next report's
    /// difference starts from. Empty while the user is a member of nothing.
    /// </summary>
    [Id(21)] public float[] ReportedScheme { get; set; } = [];

    /// <summary>Sequence of the last report created (the reservoir keeps a member's newest snapshot by it).</summary>
    [Id(22)] public long ReportSequence { get; set; }

    /// <summary>Feedback items applied since the last report.</summary>
    [Id(23)] public int FeedbackSinceReport { get; set; }

    // Ids 24 (a pending leave) and 25 (a pending report flag) belonged to the member-list protocol and are retired: the
    // outbox replaces them. Never reuse them.

    /// <summary>The pairs behind <see cref="ReportedScheme"/> (the prototype's Σ pairs holds them).</summary>
    [Id(26)] public int ReportedPairs { get; set; }

    /// <summary>
    /// Reports created and not yet confirmed by their prototype, oldest first (at most a few): sent after the state that
    /// holds them is stored, re-sent until confirmed, applied once by their id (<see cref="UserMembership"/>).
    /// </summary>
    [Id(27)] public List<PendingReport> Outbox { get; set; } = [];

    /// <summary>
    /// The model's prior scale when the state was stored (0 in rows stored before it existed: the activation searches the
    /// grid), with the pair count at its last grid search and the updates since (<see cref="Core.Model.ScaleSearchState"/>):
    /// an activation resumes the fit the user had instead of searching afresh.
    /// </summary>
    [Id(28)] public double PriorScale { get; set; }

    /// <summary>See <see cref="PriorScale"/>.</summary>
    [Id(29)] public int PairsAtSearch { get; set; }

    /// <summary>See <see cref="PriorScale"/>.</summary>
    [Id(30)] public int AddsSinceSearch { get; set; }

    /// <summary>A shallow copy without the history and the vectors the packer writes itself (the part left to the Orleans serializer).</summary>
    internal UserState WithoutPackedParts()
    {
        var copy = (UserState)MemberwiseClone();
        copy.History = [];
        copy.FoldedMean = [];
        copy.FoldedPrecision = [];
        copy.JudgmentSketch = [];
        copy.ReportedScheme = [];
        copy.StatedPreference = null;
        return copy;
    }
}

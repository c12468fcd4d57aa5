using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// What a user grain stores (storage "users", state "user"). The <see cref="PGenRM.Core.Model.UserModel"/> is rebuilt
/// from it on activation. Every collection is bounded: history by HybridModelOptions.HistoryCapacity (older pairs live
/// on in <see cref="FoldedMean"/>/<see cref="FoldedPrecision"/>), feedback ids by <see cref="UserGrain.FeedbackIdWindow"/>.
/// </summary>
/// <remarks>
/// Stored by <see cref="Storage.UserStatePacker"/> (history packed, every other field through the Orleans serializer by
/// its [Id]) and serialized by Orleans: never renumber ids or rename the alias. A new field needs only an [Id] (11–19
/// storage, 20+ membership, 30+ scoring).
/// </remarks>
[GenerateSerializer, Alias("PGenRM.UserState")]
public sealed class UserState
{
    /// <summary>Pairs kept verbatim, oldest first.</summary>
    [Id(0)] public List<StoredPair> History { get; set; } = [];

    /// <summary>Centre of the folded evidence (empty while nothing is folded).</summary>
    [Id(1)] public float[] FoldedMean { get; set; } = [];

    /// <summary>Precision of the folded evidence, column-major d×d (empty while nothing is folded).</summary>
    [Id(2)] public float[] FoldedPrecision { get; set; } = [];

    /// <summary>Pairs folded.</summary>
    [Id(3)] public int FoldedCount { get; set; }

    /// <summary>Stated-preference pseudo-pair in content space, or null.</summary>
    [Id(4)] public double[]? StatedPreference { get; set; }

    /// <summary>The stated-preference text (kept for export).</summary>
    [Id(5)] public string? StatedPreferenceText { get; set; }

    /// <summary>The most recent feedback ids, oldest first (de-duplication window).</summary>
    [Id(6)] public List<string> RecentFeedbackIds { get; set; } = [];

    /// <summary>Feedback items applied in total.</summary>
    [Id(7)] public long FeedbackCount { get; set; }

    /// <summary>Random sketch of the user's judgments (neighbour key, see JudgmentSketch); empty before the first pair.</summary>
    [Id(8)] public double[] JudgmentSketch { get; set; } = [];

    /// <summary>The user's prototype, or null before clustering.</summary>
    [Id(9)] public int? Prototype { get; set; }

    /// <summary>The evaluator's model version the stored vectors belong to.</summary>
    [Id(10)] public string? ModelVersion { get; set; }

    /// <summary>The directory version the user's prototype and prior were last checked against.</summary>
    [Id(20)] public long MembershipVersion { get; set; }

    /// <summary>The scheme the user last reported to its prototype (a report is due when it moved away from this).</summary>
    [Id(21)] public float[] ReportedScheme { get; set; } = [];

    /// <summary>Sequence of the last snapshot sent to a prototype (prototypes ignore one not newer than they hold).</summary>
    [Id(22)] public long ReportSequence { get; set; }

    /// <summary>Feedback items applied since the last report.</summary>
    [Id(23)] public int FeedbackSinceReport { get; set; }

    /// <summary>A prototype the user moved away from but has not confirmed leaving yet (retried on the next update).</summary>
    [Id(24)] public int? PendingLeave { get; set; }

    /// <summary>Whether <see cref="Prototype"/> still has to receive the user's snapshot (a join not yet confirmed).</summary>
    [Id(25)] public bool ReportPending { get; set; }

    /// <summary>
    /// The texts of the most recent pairs, oldest first, at most <see cref="UserGrain.HistoryTextWindow"/> (the LLM judge
    /// quotes them). A minimal store for the llm branch; the feedback log replaces it.
    /// </summary>
    [Id(90)] public List<HistoryPair> RecentTexts { get; set; } = [];

    /// <summary>A shallow copy with an empty history (the part the packer leaves to the Orleans serializer).</summary>
    internal UserState WithoutHistory()
    {
        var copy = (UserState)MemberwiseClone();
        copy.History = [];
        return copy;
    }
}

using PGenRM.Core.Model;

namespace PGenRM.Evaluation;

/// <summary>Which model variants and scaling settings one evaluation run compares.</summary>
public sealed record EvaluationSettings
{
    /// <summary>Hybrid model hyper-parameters (the shipped defaults unless a run overrides them).</summary>
    public HybridModelOptions Model { get; init; } = new();

    /// <summary>Trainer settings of the full method; the ablations switch parts of it off.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Scaling settings shared by all scaled rows (m and n are overridden per row).</summary>
    public ScalingOptions Scaling { get; init; } = new();

    /// <summary>Individual-level sizes m to report.</summary>
    public IReadOnlyList<int> IndividualM { get; init; } = [8, 16, 32];

    /// <summary>Prototype-level sizes n to report.</summary>
    public IReadOnlyList<int> PrototypeN { get; init; } = [4, 8, 16];

    /// <summary>The combined setting reported as "m + n" (the paper's best, fixed in advance, not tuned on test).</summary>
    public (int M, int N) Combined { get; init; } = (16, 8);

    /// <summary>Numbers of an unseen user's judgments revealed for the cold-start curve.</summary>
    public IReadOnlyList<int> ColdStartK { get; init; } = [0, 5, 10, 20];

    /// <summary>Neighbours used by the cold-start rows that include the prototype level.</summary>
    public int ColdStartN { get; init; } = 8;

    /// <summary>Whether the prototype level also asks each item's own judges (the item grain's recent-judges list).</summary>
    public bool UseItemJudges { get; init; } = true;

    /// <summary>
    /// Whether each split's residual basis is learned from its train items (<see cref="FeaturizedDataset.WithTenantProjection"/>)
    /// instead of the bank's generic basis; a development switch (the service does not learn one per tenant yet).
    /// </summary>
    public bool TenantProjection { get; init; }

    /// <summary>
    /// Development rows: for each pseudo-count c here, "full + prototype n, agreement prior c" (n = the combined row's),
    /// scored from the same trained model with <see cref="ScalingOptions.AgreementPrior"/> = c. Empty in reported runs.
    /// </summary>
    public IReadOnlyList<double> AgreementPriorGrid { get; init; } = [];

    /// <summary>
    /// Development rows: for each shrink target here, "full + prototype n, agreement target t" for seen users and
    /// "unseen k=…: full + n=…, agreement target t" for unseen ones, scored from the same trained model with
    /// <see cref="ScalingOptions.AgreementTarget"/> = t. Empty by default (session 5 reported One and Pool as ablation rows next to the shipped PoolRelative).
    /// </summary>
    public IReadOnlyList<AgreementTarget> AgreementTargetGrid { get; init; } = [];

    /// <summary>Development probe row on shared content: per-user weights on the content part and item strength.</summary>
    public bool BlendProbe { get; init; }

    /// <summary>Whether to run the ablation trainers (no prototypes, content only, collaborative only).</summary>
    public bool Ablations { get; init; } = true;
}

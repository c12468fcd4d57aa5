namespace PGenRM.Grains.Abstractions;

/// <summary>
/// Stateless scoring ([StatelessWorker], any integer key; use 0): encodes through the silo's batching encoder, asks the
/// user grain for its m individual-level schemes, reads the candidates' item statistics and the prototype's members
/// (cached by version), runs the dual-granularity scaling, and returns rewards and the chain.
/// </summary>
[Alias("PGenRM.IScoringWorker")]
public interface IScoringWorker : IGrainWithIntegerKey
{
    /// <summary>Pointwise: rewards for every candidate.</summary>
    [Alias("ScoreAsync")]
    Task<ScoreResponse> ScoreAsync(ScoreRequest request, CancellationToken cancellationToken = default);

    /// <summary>Pairwise: the request must hold exactly two candidates.</summary>
    [Alias("CompareAsync")]
    Task<CompareResponse> CompareAsync(ScoreRequest request, CancellationToken cancellationToken = default);
}

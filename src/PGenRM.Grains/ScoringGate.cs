namespace PGenRM.Grains;

/// <summary>
/// The silo's bound on compact scores in flight (<see cref="ScoringWorker.MaxConcurrentScores"/>), shared by every
/// <see cref="ScoringWorker"/> activation of the silo: the stateless worker is reentrant, so without it a burst would run
/// unbounded in the silo.
/// </summary>
public sealed class ScoringGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    /// <summary>A gate of <paramref name="slots"/> concurrent scores.</summary>
    public ScoringGate(int slots = ScoringWorker.MaxConcurrentScores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _slots = new SemaphoreSlim(slots, slots);
    }

    /// <summary>Waits for a slot.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Frees a slot.</summary>
    public void Release() => _slots.Release();

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}

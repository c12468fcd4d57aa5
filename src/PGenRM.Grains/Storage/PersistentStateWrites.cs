using Orleans.Storage;

namespace PGenRM.Grains.Storage;

/// <summary>
/// Optimistic-concurrency writes for grain state: an ETag conflict (<see cref="InconsistentStateException"/>) means
/// someone else wrote since this activation read, so the state is re-read and the operation re-applied to what is
/// stored now — never written over it blindly.
/// </summary>
public static class PersistentStateWrites
{
    /// <summary>Writes tried before the conflict is passed to the caller.</summary>
    public const int DefaultMaxAttempts = 4;

    /// <summary>
    /// Writes <paramref name="state"/>, whose in-memory value already has the operation applied. On a conflict: re-reads,
    /// calls <paramref name="reloaded"/> (rebuild whatever the caller derives from the state), then
    /// <paramref name="reapply"/>, which applies the operation to the fresh state and returns true, or returns false
    /// when the fresh state already contains it (by its id) — then nothing is written. Bounded by
    /// <paramref name="maxAttempts"/>; the last conflict is rethrown.
    /// </summary>
    /// <exception cref="InconsistentStateException">Still conflicting after <paramref name="maxAttempts"/> writes.</exception>
    public static async Task<StateWriteResult> WriteStateWithRetryAsync<T>(
        this IPersistentState<T> state,
        Func<T, bool> reapply,
        Action<T>? reloaded = null,
        int maxAttempts = DefaultMaxAttempts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reapply);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
                return new StateWriteResult(true, attempt);
            }
            catch (InconsistentStateException) when (attempt < maxAttempts)
            {
                // Grain code: stay on the activation's scheduler (ConfigureAwait(true)) so callbacks run in its turn.
                await state.ReadStateAsync(cancellationToken).ConfigureAwait(true);
                reloaded?.Invoke(state.State);
                if (!reapply(state.State))
                {
                    return new StateWriteResult(false, attempt);
                }
            }
        }
    }
}

namespace PGenRM.Grains.Storage;

/// <summary>What <see cref="PersistentStateWrites.WriteStateWithRetryAsync{T}"/> did.</summary>
/// <param name="Written">True when this call stored the operation; false when a re-read showed it already stored by
/// another writer (nothing was written).</param>
/// <param name="Attempts">Writes tried (1 when there was no conflict).</param>
public readonly record struct StateWriteResult(bool Written, int Attempts);

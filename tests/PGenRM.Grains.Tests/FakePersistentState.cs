using Orleans.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>
/// An <see cref="IPersistentState{T}"/> over a "store" value that another writer may change: a write whose ETag is not
/// the store's current one fails with <see cref="InconsistentStateException"/>, as the Azure providers do.
/// </summary>
internal sealed class FakePersistentState<T>(Func<T, T> copy) : IPersistentState<T>
{
    private T? _stored;
    private int _version;

    public T State { get; set; } = default!;

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public int Writes { get; private set; }

    public int Reads { get; private set; }

    /// <summary>Another writer replaces the stored value (bumping the ETag).</summary>
    public void WriteBehindTheBack(T value)
    {
        _stored = copy(value);
        _version++;
    }

    public Task ReadStateAsync() => ReadStateAsync(CancellationToken.None);

    public Task ReadStateAsync(CancellationToken cancellationToken)
    {
        Reads++;
        State = _stored is null ? default! : copy(_stored);
        Etag = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RecordExists = _stored is not null;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync() => WriteStateAsync(CancellationToken.None);

    public Task WriteStateAsync(CancellationToken cancellationToken)
    {
        Writes++;
        string current = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Etag != current)
        {
            throw new InconsistentStateException("ETag mismatch", Etag ?? "", current);
        }

        _stored = copy(State);
        _version++;
        Etag = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync() => ClearStateAsync(CancellationToken.None);

    public Task ClearStateAsync(CancellationToken cancellationToken)
    {
        _stored = default;
        _version++;
        return Task.CompletedTask;
    }
}

namespace PGenRM.Grains.Derived;

/// <summary>
/// Counters of a running <see cref="TenantRebuild"/>, updated by the job and read by the status route meanwhile
/// (hence <see cref="Interlocked"/>/<see cref="Volatile"/>).
/// </summary>
public sealed class RebuildProgress
{
    private long _entries;
    private int _users;
    private int _usersReplayed;
    private int _items;
    private int _prototypes;

    /// <summary>Log entries read so far.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    /// <summary>Users found in the logs (set when the scan is done).</summary>
    public int Users => Volatile.Read(ref _users);

    /// <summary>Users replayed so far.</summary>
    public int UsersReplayed => Volatile.Read(ref _usersReplayed);

    /// <summary>Items found in the logs (set when the scan is done).</summary>
    public int Items => Volatile.Read(ref _items);

    /// <summary>Prototypes reset (set when the scan is done).</summary>
    public int Prototypes => Volatile.Read(ref _prototypes);

    internal void EntryRead() => Interlocked.Increment(ref _entries);

    internal void Scanned(int users, int items, int prototypes)
    {
        Volatile.Write(ref _users, users);
        Volatile.Write(ref _items, items);
        Volatile.Write(ref _prototypes, prototypes);
    }

    internal void UserReplayed() => Interlocked.Increment(ref _usersReplayed);
}

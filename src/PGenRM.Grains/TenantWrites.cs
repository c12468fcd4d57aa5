using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains;

/// <summary>
/// The tenant grain's writes. Each applies its change to the activation's state and stores it; on an ETag conflict it
/// re-reads and applies the change to what is stored now (<see cref="PersistentStateWrites"/>), so a concurrent writer's
/// settings or directory are never overwritten with the activation's stale copy.
/// </summary>
/// <remarks>Not part of the grain, so that the conflict paths can be tested on a fake state. On any exception other
/// than the documented ones the memory may be ahead of storage: the caller drops the activation.</remarks>
internal static class TenantWrites
{
    /// <summary>Creates the tenant.</summary>
    /// <exception cref="TenantExistsException">It exists already, in memory or (after a conflict) in storage: someone
    /// else created it first.</exception>
    public static async Task CreateAsync(
        IPersistentState<TenantState> state, string tenant, TenantSettings settings, string apiKeyHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Create(state.State);
        await state.WriteStateWithRetryAsync(fresh => Create(fresh), cancellationToken: cancellationToken);

        bool Create(TenantState s)
        {
            if (s.Created)
            {
                throw new TenantExistsException(tenant);
            }

            s.Created = true;
            s.Settings = settings;
            s.ApiKeyHashes = [apiKeyHash];
            s.CreatedAt = now;
            return true;
        }
    }

    /// <summary>Replaces the settings (last writer wins, but on the stored state: the directory stored meanwhile is kept).</summary>
    /// <exception cref="KeyNotFoundException">The tenant does not exist.</exception>
    public static async Task UpdateSettingsAsync(IPersistentState<TenantState> state, string tenant, TenantSettings settings, CancellationToken cancellationToken)
    {
        SetSettings(state.State);
        await state.WriteStateWithRetryAsync(SetSettings, cancellationToken: cancellationToken);

        bool SetSettings(TenantState s)
        {
            if (!s.Created)
            {
                throw new KeyNotFoundException($"Tenant '{tenant}' does not exist.");
            }

            s.Settings = settings;
            return true;
        }
    }

    /// <summary>
    /// Stores a re-clustering pass's <paramref name="directory"/>. False when the stored state already holds that
    /// version or a newer one (another pass got there first; its directory is kept and nothing is written).
    /// </summary>
    /// <param name="state">The tenant's state.</param>
    /// <param name="directory">The new directory (version = the one the pass started from + 1).</param>
    /// <param name="slots">Prototype grains the pass read.</param>
    /// <param name="at">When the pass finished.</param>
    /// <param name="churn">Joins + leaves the prototypes had counted when the pass read them.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task<bool> StoreDirectoryAsync(
        IPersistentState<TenantState> state, PrototypeDirectory directory, int slots, DateTimeOffset at, long churn, CancellationToken cancellationToken)
    {
        if (!SetDirectory(state.State))
        {
            return false;
        }

        return (await state.WriteStateWithRetryAsync(SetDirectory, cancellationToken: cancellationToken)).Written;

        bool SetDirectory(TenantState s)
        {
            if (s.CentroidVersion >= directory.Version)
            {
                return false;
            }

            s.CentroidVersion = directory.Version;
            s.Centroids = directory.Centroids.ToList();
            s.Counts = directory.Counts.ToList();
            s.CollaborativeScale = directory.CollaborativeScale;
            s.Priors = directory.Priors?.ToList();
            s.Kappa = directory.Kappa;
            s.PrototypeSlots = Math.Max(Math.Max(s.PrototypeSlots, slots), directory.Centroids.Count);
            s.LastReclusterAt = at;
            s.ChurnAtLastPass = churn;
            return true;
        }
    }
}

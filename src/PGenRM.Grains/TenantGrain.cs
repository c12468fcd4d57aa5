using System.Text.RegularExpressions;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// A tenant (key "{tenant}"): settings, hashed API keys and the prototype directory. Callers read it through the
/// silo's <see cref="TenantCache"/>, so the grain is not on any request path.
/// </summary>
public sealed partial class TenantGrain(
    [PersistentState("tenant", "tenants")] IPersistentState<TenantState> state,
    EvaluatorHost evaluators) : Grain, ITenantGrain
{
    /// <inheritdoc />
    public async Task<TenantInfo> CreateAsync(TenantSettings settings, string apiKeyHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (apiKeyHash is null || !Sha256Hex().IsMatch(apiKeyHash))
        {
            throw new ArgumentException("apiKeyHash must be a SHA-256 hash in lower-case hex (64 characters).", nameof(apiKeyHash));
        }

        await CheckBankAsync(settings, cancellationToken);
        if (state.State.Created)
        {
            throw new InvalidOperationException($"Tenant '{this.GetPrimaryKeyString()}' already exists.");
        }

        state.State = new TenantState
        {
            Created = true,
            Settings = settings,
            ApiKeyHashes = [apiKeyHash],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await state.WriteStateAsync(cancellationToken);
        return Info();
    }

    /// <inheritdoc />
    public Task<TenantInfo?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.Created ? Info() : null);

    /// <inheritdoc />
    public async Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        RequireCreated();
        await CheckBankAsync(settings, cancellationToken);
        state.State.Settings = settings;
        await state.WriteStateAsync(cancellationToken);
        return Info();
    }

    /// <inheritdoc />
    public Task<PrototypeDirectory> GetDirectoryAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult(Directory());
    }

    /// <inheritdoc />
    public Task ReportMoveAsync(int? from, int to, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Re-clustering is being built (issue 4).");

    /// <inheritdoc />
    public Task<PrototypeDirectory> ReclusterAsync(CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("Re-clustering is being built (issue 4).");

    private async Task CheckBankAsync(TenantSettings settings, CancellationToken cancellationToken)
    {
        // A tenant pinned to another criteria bank would be scored in a feature space it was not configured for.
        var evaluator = await evaluators.GetAsync(cancellationToken);
        string bank = evaluator.Features.Bank.Version;
        if (!string.Equals(settings.CriteriaBankVersion, bank, StringComparison.Ordinal))
        {
            throw new ArgumentException($"CriteriaBankVersion '{settings.CriteriaBankVersion}' is not served here; this silo runs '{bank}'.", nameof(settings));
        }
    }

    private void RequireCreated()
    {
        if (!state.State.Created)
        {
            throw new KeyNotFoundException($"Tenant '{this.GetPrimaryKeyString()}' does not exist.");
        }
    }

    private PrototypeDirectory Directory()
    {
        var s = state.State;
        return new PrototypeDirectory(s.CentroidVersion, s.Centroids.ToList(), s.Counts.ToList());
    }

    private TenantInfo Info()
    {
        var s = state.State;
        return new TenantInfo(this.GetPrimaryKeyString(), s.Settings, s.ApiKeyHashes.ToList(), s.CreatedAt, Directory());
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics.Metrics;
using PGenRM.Core.Model;
using PGenRM.Evaluators.Llm;

namespace PGenRM.Grains;

/// <summary>Registers what the PGenRM grains need in a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo's <see cref="SiloEvaluator"/>. The host must also register an
    /// <see cref="PGenRM.Core.Encoding.ISentenceEncoder"/> singleton and the grain storages "users", "items", "tenants" and "prototypes"
    /// (with <c>DeleteStateOnClear = true</c>, so that deleting a user removes its stored state), each configured with
    /// <see cref="Storage.StorageOptionsExtensions.UsePGenRMSerializer{TOptions}"/> (docs/STORAGE.md).
    /// </summary>
    public static IServiceCollection AddPGenRMGrains(this IServiceCollection services, HybridModelOptions? model = null, ScalingOptions? scaling = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(model ?? new HybridModelOptions());
        services.TryAddSingleton(scaling ?? new ScalingOptions());
        services.TryAddSingleton<SiloEvaluator>();
        services.TryAddSingleton<TenantCache>();
        services.TryAddSingleton<PrototypeReservoirCache>();
        services.TryAddSingleton<PopulationCache>();
        services.TryAddSingleton<ReclusterHooks>();
        services.TryAddSingleton(_ => new ScoringGate());

        // Item judgments off the acknowledgment path: one pipeline per silo, flushed by the silo lifecycle on shutdown.
        services.TryAddSingleton(new Derived.DerivedStatsOptions());
        services.TryAddSingleton(sp => new Derived.DerivedStatsMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<Derived.DerivedStatsPipeline>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Derived.DerivedStatsPipeline>());
        services.TryAddSingleton<Derived.ItemStatsCache>();
        services.TryAddSingleton<Derived.TenantRebuild>();

        // The caches' counts as OpenTelemetry metrics (meter CacheMetrics.MeterName); the host adds the encoder's source.
        services.AddSingleton(sp => new CacheSource("tenant", () => sp.GetRequiredService<TenantCache>().Counts));
        services.AddSingleton(sp => new CacheSource("prototype_reservoir", () => sp.GetRequiredService<PrototypeReservoirCache>().Counts));
        services.AddSingleton(sp => new CacheSource("population", () => sp.GetRequiredService<PopulationCache>().Counts));
        services.AddSingleton(sp => new CacheSource("item_stats", () => sp.GetRequiredService<Derived.ItemStatsCache>().Counts));
        services.TryAddSingleton(sp => new CacheMetrics(sp.GetServices<CacheSource>(), sp.GetService<IMeterFactory>()));

        // The llm evaluator's path; the host adds the configured endpoints first (none: tenants cannot use 'llm').
        services.TryAddSingleton(new LlmEndpoints([]));
        services.TryAddSingleton(sp => new LlmMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<LlmScoring>();
        return services;
    }
}

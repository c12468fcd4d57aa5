using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace PGenRM.Grains.Storage;

/// <summary>Configures a grain storage provider for PGenRM states.</summary>
public static class StorageOptionsExtensions
{
    /// <summary>
    /// Makes the provider store states with <see cref="PGenRMGrainStorageSerializer"/>. Use it on every storage the
    /// PGenRM grains use ("users", "items", "tenants", "prototypes"), e.g.
    /// <c>silo.AddAzureTableGrainStorage("users", o => o.Configure(...).UsePGenRMSerializer())</c>.
    /// </summary>
    public static OptionsBuilder<TOptions> UsePGenRMSerializer<TOptions>(this OptionsBuilder<TOptions> options)
        where TOptions : class, IStorageProviderSerializerOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Configure<IServiceProvider>((o, services) =>
            o.GrainStorageSerializer = new PGenRMGrainStorageSerializer(services.GetRequiredService<Serializer>()));
    }
}

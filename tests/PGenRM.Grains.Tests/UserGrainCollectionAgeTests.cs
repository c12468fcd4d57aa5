using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>Idle users deactivate after <see cref="UserGrain.IdleMinutes"/>: the silos' grain properties carry that age.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class UserGrainCollectionAgeTests(ClusterFixture fixture)
{
    [Fact]
    public void UserGrain_IsCollectedAfterIdleMinutes_OnEverySilo()
    {
        var grainType = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User("t-age", "u")).GetGrainId().Type;

        foreach (var silo in fixture.Cluster.Silos)
        {
            var properties = silo.ServiceProvider.GetRequiredService<GrainPropertiesResolver>().GetGrainProperties(grainType).Properties;
            var period = TimeSpan.Parse(properties[WellKnownGrainTypeProperties.IdleDeactivationPeriod], CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromMinutes(15), period);
            Assert.Equal(TimeSpan.FromMinutes(UserGrain.IdleMinutes), period);
        }
    }
}

using PGenRM.Host.Hosting;

namespace PGenRM.Api.Tests;

/// <summary>PGenRM:KubernetesHosting (set by deploy/k8s) needs the AzureTable membership table.</summary>
public sealed class KubernetesHostingOptionTests
{
    [Fact]
    public void KubernetesHosting_WithoutAzureTableClustering_IsAConfigurationError()
    {
        var e = Assert.Throws<ArgumentException>(() => new ServiceOptions { KubernetesHosting = true }.Validate());
        Assert.Equal(nameof(ServiceOptions.KubernetesHosting), e.ParamName);
        Assert.StartsWith("PGenRM:KubernetesHosting needs PGenRM:Clustering=AzureTable", e.Message, StringComparison.Ordinal);

        new ServiceOptions { KubernetesHosting = true, Clustering = "AzureTable" }.Validate();
        Assert.False(new ServiceOptions().KubernetesHosting);
        Assert.True(new ServiceOptions().Dashboard);
    }
}

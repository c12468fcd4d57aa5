using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PGenRM.Host.Hosting;
using PGenRM.Testing;

namespace PGenRM.Api.Tests;

/// <summary>
/// Configuration switches to a storage account and Azure Table clustering: two hosts on one account form one cluster,
/// so feedback sent to one is read through the other.
/// </summary>
public sealed class ClusteringTests
{
    [Fact(Timeout = TestTimeouts.ChildHost)]
    public async Task AzureTableClustering_TwoHosts_ServeTheSameUsers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        string data = Path.Combine(Path.GetTempPath(), "pgenrm-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        string clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        string[] Args(string name) =>
        [
            "--urls", "http://127.0.0.1:0",
            $"--PGenRM:StorageConnectionString={azurite.ConnectionString}",
            "--PGenRM:Clustering=AzureTable",
            $"--PGenRM:ClusterId={clusterId}",
            $"--PGenRM:DataDirectory={Path.Combine(data, name)}",
            $"--PGenRM:AdminKey={ApiFixture.AdminKey}",
            "--PGenRM:DemoTenant=",
            $"--PGenRM:SiloPort={ApiFixture.FreePort()}", $"--PGenRM:GatewayPort={ApiFixture.FreePort()}",
            "--Logging:LogLevel:Default=Warning",
        ];

        var first = await PGenRMHost.StartAsync(Args("a"), TextWriter.Null, ct);
        try
        {
            var second = await PGenRMHost.StartAsync(Args("b"), TextWriter.Null, ct);
            try
            {
                using var a = new HttpClient { BaseAddress = first.BaseAddress };
                using var b = new HttpClient { BaseAddress = second.BaseAddress };
                a.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);
                var created = await a.PostAsJsonAsync("/v1/tenants", new { tenant = "shared" }, ct);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                string key = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("apiKey").GetString()!;
                a.DefaultRequestHeaders.Remove("X-Api-Key");
                a.DefaultRequestHeaders.Add("X-Api-Key", key);
                b.DefaultRequestHeaders.Add("X-Api-Key", key);

                var feedback = await a.PostAsJsonAsync("/v1/tenants/shared/users/sam/feedback",
                    new { id = "s1", query = "Hello?", chosen = "Hi! How can I help?", rejected = "Go away." }, ct);
                Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
                var profile = await b.GetAsync("/v1/tenants/shared/users/sam/profile", ct);
                string body = await profile.Content.ReadAsStringAsync(ct);
                Assert.True(profile.StatusCode == HttpStatusCode.OK, body);
                Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("feedbackCount").GetInt64());

                // Both silos are active members of one cluster in the account's membership table.
                var members = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient("OrleansSiloInstances");
                int active = 0;
                await foreach (var row in members.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == clusterId, cancellationToken: ct))
                {
                    if (row.GetString("Status") == "Active")
                    {
                        active++;
                    }
                }

                Assert.Equal(2, active);
            }
            finally
            {
                await second.DisposeAsync();
            }
        }
        finally
        {
            await first.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}

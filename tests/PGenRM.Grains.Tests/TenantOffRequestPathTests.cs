using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// No call reaches the tenant grain per feedback or per score once a silo has the tenant cached (issue 9), counted by an
/// incoming grain call filter on every silo.
/// </summary>
[Collection(TenantCallCollection.Name), Trait("Category", "Azurite")]
public sealed class TenantOffRequestPathTests(TenantCallFixture fixture)
{
    private const int Requests = 5;

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task FeedbackAndScores_OfAnExistingTenant_MakeNoTenantGrainCall()
    {
        var token = TestContext.Current.CancellationToken;
        string tenant = await Tenants.CreateAsync(fixture.Client, new TenantSettings(), token);
        string tenantKey = GrainKeys.Tenant(tenant);
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User(tenant, "u"));
        var worker = fixture.Client.GetGrain<IScoringWorker>(0);
        string[] candidates = [Feedback.Concise(1), Feedback.Verbose(1)];

        // Warm-up: the first feedback and score fill the silos' tenant caches (and place the user).
        await user.ApplyFeedbackAsync(Feedback.Item(0, $"{tenant}-0"), token);
        await worker.ScoreAsync(new ScoreRequest(tenant, "u", "warm-up", candidates), token);
        Assert.NotEmpty(fixture.CallsTo(tenantKey));
        fixture.ClearCalls();

        for (int i = 1; i <= Requests; i++)
        {
            Assert.Equal(FeedbackStatus.Applied, (await user.ApplyFeedbackAsync(Feedback.Item(i, $"{tenant}-{i}"), token)).Status);
        }

        var afterFeedback = fixture.CallsTo(tenantKey);
        fixture.ClearCalls();
        for (int i = 0; i < Requests; i++)
        {
            await worker.ScoreAsync(new ScoreRequest(tenant, "u", $"Score query {i} [{tenant}]", candidates), token);
        }

        Assert.Empty(afterFeedback);
        Assert.Empty(fixture.CallsTo(tenantKey));
    }
}

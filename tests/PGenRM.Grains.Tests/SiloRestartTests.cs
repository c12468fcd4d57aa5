using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

[Collection(SiloRestartCollection.Name), Trait("Category", "Azurite")]
public sealed class SiloRestartTests(SiloRestartFixture fixture)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task State_SurvivesARestartOfTheSiloHostingTheUser()
    {
        var token = TestContext.Current.CancellationToken;
        var user = fixture.Client.GetGrain<IUserGrain>(GrainKeys.User("t-restart", "u-" + Guid.NewGuid().ToString("N")[..8]));
        for (int i = 0; i < 3; i++)
        {
            await user.ApplyFeedbackAsync(Feedback.Item(i), token);
        }

        var before = await user.GetProfileAsync(token);

        // Restart the silo that hosts the user. The primary (membership seed, the client's gateway) is never restarted:
        // a user placed there is first migrated to the secondary. MigrateAsync only to a silo that is not the host:
        // toward the current host the migration is a no-op, and MigrateAsync waits for a deactivation that never
        // comes — the hang that made the earlier version of this test time out.
        var secondary = fixture.Cluster.Silos[1];
        Assert.True(fixture.Cluster.TryGetGrainContext(user.GetGrainId(), out var context), "the user has no activation");
        if (context.Address.SiloAddress != secondary.SiloAddress)
        {
            await fixture.Cluster.MigrateAsync(user, secondary.SiloAddress).WaitAsync(Step, token);
            Assert.True(fixture.Cluster.TryGetGrainContext(user.GetGrainId(), out context), "the user has no activation after migration");
        }

        Assert.Equal(secondary.SiloAddress, context.Address.SiloAddress);
        await fixture.Cluster.RestartSiloAsync(secondary).WaitAsync(Step, token);
        await fixture.Cluster.WaitForLivenessToStabilizeAsync().WaitAsync(Step, token);

        // Reactivated from Azurite on a live silo: same count, same scheme, same de-duplication window.
        var after = await user.GetProfileAsync(token).WaitAsync(Step, token);
        Assert.Equal(3, after.FeedbackCount);
        Assert.Equal(3, after.HistoryCount);
        Assert.Equal(before.Scheme, after.Scheme);
        Assert.Equal(FeedbackStatus.Duplicate, (await user.ApplyFeedbackAsync(Feedback.Item(2), token)).Status);
        Assert.Equal(4, (await user.ApplyFeedbackAsync(Feedback.Item(3), token)).FeedbackCount);
    }
}

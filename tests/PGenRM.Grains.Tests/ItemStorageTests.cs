using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The item's Table storage on Azurite: an ETag conflict is re-read and re-applied, never overwritten.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class ItemStorageTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task RecordAndRemove_AfterAnotherWriterChangedTheRow_ReReadAndKeepBothWrites()
    {
        int f = (await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(TestContext.Current.CancellationToken)).Model.FactorDimension;
        string key = GrainKeys.Item("t" + Guid.NewGuid().ToString("N")[..8], "i" + Guid.NewGuid().ToString("N")[..8]);
        var item = fixture.Client.GetGrain<IItemGrain>(key);
        await item.RecordJudgmentAsync(Judgment("j-0", "judge-0", +1, f), TestContext.Current.CancellationToken);
        await item.RecordJudgmentAsync(Judgment("j-1", "judge-1", -1, f), TestContext.Current.CancellationToken);

        // Another writer (a second activation during a partition, say) stores one more win behind the grain's back.
        await ChangeRowAsync(key, theirs =>
        {
            theirs.RecentJudgmentIds.Add("foreign-1");
            theirs.RecentJudges.Add(new StoredJudge { JudgeId = "foreign-judge", Sign = 1 });
            theirs.Observations.Add(theirs.Observations[0]);
            theirs.Wins++;
        });

        var stats = await item.RecordJudgmentAsync(Judgment("j-2", "judge-2", +1, f), TestContext.Current.CancellationToken);

        // Neither write is lost: 2 judgments + the foreign one + this one.
        Assert.Equal((3, 1), (stats.Wins, stats.Losses));
        var stored = await ReadRowAsync(key);
        Assert.Equal(["j-0", "j-1", "foreign-1", "j-2"], stored.RecentJudgmentIds);
        Assert.Equal(["judge-0", "judge-1", "foreign-judge", "judge-2"], stored.RecentJudges.Select(j => j.JudgeId));
        Assert.Equal(4, stored.Observations.Count);
        Assert.Equal((3, 1), (stored.Wins, stored.Losses));
        Assert.Equal(stats.Strength, stored.Strength); // what the grain serves is what is stored
        Assert.Equal(3, (await item.RecordJudgmentAsync(Judgment("foreign-1", "foreign-judge", +1, f), TestContext.Current.CancellationToken)).Wins);

        // A removal meets a conflict too: the judge goes, the other writer's new judge stays.
        await ChangeRowAsync(key, theirs => theirs.RecentJudges.Add(new StoredJudge { JudgeId = "foreign-judge-2", Sign = -1 }));
        Assert.True(await item.RemoveJudgeAsync("judge-0", TestContext.Current.CancellationToken));
        Assert.Equal(["judge-1", "foreign-judge", "judge-2", "foreign-judge-2"], (await ReadRowAsync(key)).RecentJudges.Select(j => j.JudgeId));
        Assert.Equal(4, (await item.GetStatsAsync(TestContext.Current.CancellationToken)).RecentJudges.Count);
    }

    private static ItemJudgment Judgment(string id, string judge, int sign, int f) =>
        new(id, judge, sign, Enumerable.Range(0, f + 1).Select(k => 0.1f * (k + 1)).ToArray(), new float[f], 0.2, 1, DateTimeOffset.UnixEpoch);

    private PGenRMGrainStorageSerializer StorageSerializer() => new(fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>());

    private async Task<ItemState> ReadRowAsync(string key)
    {
        var entity = Assert.Single(await StoredEntities.OfItemAsync(fixture.ItemTable, key, TestContext.Current.CancellationToken));
        return StorageSerializer().Deserialize<ItemState>(new BinaryData(StoredEntities.Payload(entity)))!;
    }

    private async Task ChangeRowAsync(string key, Action<ItemState> change)
    {
        var entity = Assert.Single(await StoredEntities.OfItemAsync(fixture.ItemTable, key, TestContext.Current.CancellationToken));
        var theirs = StorageSerializer().Deserialize<ItemState>(new BinaryData(StoredEntities.Payload(entity)))!;
        change(theirs);
        StoredEntities.SetPayload(entity, StorageSerializer().Serialize(theirs).ToArray());
        await fixture.ItemTable.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, TestContext.Current.CancellationToken);
    }
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>
/// The "items" storage on Azurite (<see cref="BucketedTableStorage"/>): a tenant's item rows go out as one entity-group
/// transaction per partition and up to 100 rows, a stale row fails alone, and the items' write-behind meets in batches.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Azurite")]
public sealed class BucketedTableStorageTests(ClusterFixture fixture)
{
    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task WritesOfOneTenant_GoOutAsOneTransactionPerPartitionAndHundredRows_AndReadBackExactly()
    {
        var (storage, requests) = NewStorage(partitions: 4);
        string tenant = "t-batch" + Guid.NewGuid().ToString("N")[..8];

        // 100 rows in bucket 0, 250 in bucket 1, one alone in bucket 2: 1 + 3 transactions and a single insert.
        var keys = KeysIn(tenant, 4, 0, 100).Concat(KeysIn(tenant, 4, 1, 250)).Concat(KeysIn(tenant, 4, 2, 1)).ToList();
        var states = keys.Select((k, i) => Grain(k, new ItemState { Wins = i, Losses = 2 * i, Version = i + 1 })).ToList();
        await CreateTableAsync(storage);
        var before = requests.Snapshot();

        await Task.WhenAll(states.Select(s => storage.WriteStateAsync("item", s.Id, s.State)));

        var counts = storage.Counts;
        Assert.Equal((4L, 350L, 1L, 0L), (counts.Transactions, counts.TransactionRows, counts.SingleWrites, counts.Conflicts));
        Assert.Equal(4, requests.Since(before, "$batch"));
        Assert.Equal(1, requests.Since(before, storage.Table.Name));
        Assert.All(states, s => Assert.True(s.State.RecordExists && s.State.ETag is not null));

        // Every row where its key says, and back exactly through a storage that never saw them (the activations are gone).
        var reader = NewStorage(partitions: 4).Storage;
        foreach (var (s, i) in states.Select((s, i) => (s, i)))
        {
            var read = await ReadAsync(reader, s.Id);
            Assert.Equal((true, s.State.ETag, (long)i, 2L * i, i + 1L), (read.RecordExists, read.ETag, read.State!.Wins, read.State.Losses, read.State.Version));
        }

        Assert.Equal((351L, 351L), (reader.Counts.Reads, reader.Counts.ReadsFound));
        var stored = await storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant + "_001"}"), cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(250, stored.Count);

        // A new item reads as a default state with no ETag (its first write is an insert).
        var fresh = new GrainState<ItemState>();
        await reader.ReadStateAsync("item", GrainId.Create("item", GrainKeys.Item(tenant, "never-written")), fresh);
        Assert.Equal((false, (string?)null, 0L), (fresh.RecordExists, fresh.ETag, fresh.State!.Version));
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task WithNoFlushWindow_WritesThatFindEveryWriteSlotBusy_WaitInTheirPartitionAndLeaveTogether()
    {
        // The users' setting (no window) with one write slot: the first checkpoint goes out alone at once; those
        // arriving while it is in flight wait in their partition's queue and leave together (unbounded, each would be
        // a request of its own: 100,000 deactivating users exhausted the system's sockets).
        var (storage, requests) = NewStorage(new BucketedTableOptions { PartitionsPerTenant = 1, FlushWindow = TimeSpan.Zero, MaxConcurrentWrites = 1 });
        string tenant = "t-slots" + Guid.NewGuid().ToString("N")[..8];
        var states = KeysIn(tenant, 1, 0, 20).Select((k, i) => Grain(k, new ItemState { Wins = i })).ToList();
        await CreateTableAsync(storage);

        // One read first: it completes the storage's own table check, so the 20 writes below reach its queue in the
        // order they are called instead of all resuming together after that check's request.
        await ReadAsync(storage, GrainId.Create("item", GrainKeys.Item(tenant, "never-written")));
        var before = requests.Snapshot();

        await Task.WhenAll(states.Select(s => storage.WriteStateAsync("item", s.Id, s.State))).WaitAsync(TestContext.Current.CancellationToken);

        // The first write's response may free the slot while later writes are still being queued (it completes on
        // another thread), so a second or third request may leave early; every row is written, in far fewer than 20.
        var counts = storage.Counts;
        Assert.Equal((20L, 0L), (counts.SingleWrites + counts.TransactionRows, counts.Conflicts));
        Assert.InRange(counts.Transactions, 1, 3);
        Assert.InRange(counts.SingleWrites + counts.Transactions, 2, 4);
        Assert.Equal((counts.SingleWrites, counts.Transactions), (requests.Since(before, storage.Table.Name), requests.Since(before, "$batch")));
        var reader = NewStorage(partitions: 1).Storage;
        foreach (var (s, i) in states.Select((s, i) => (s, i)))
        {
            var read = await ReadAsync(reader, s.Id);
            Assert.Equal((s.State.ETag, (long)i), (read.ETag, read.State!.Wins));
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ATransactionWithStaleRows_WritesTheOthers_AndFailsOnlyThoseRowsAsConflicts()
    {
        var (storage, _) = NewStorage(partitions: 2);
        string tenant = "t-stale" + Guid.NewGuid().ToString("N")[..8];
        var keys = KeysIn(tenant, 2, 1, 7).ToList();
        var states = keys.Select((k, i) => Grain(k, new ItemState { Wins = i })).ToList();
        await CreateTableAsync(storage);
        await Task.WhenAll(states.Take(6).Select(s => storage.WriteStateAsync("item", s.Id, s.State)));
        Assert.Equal((1L, 6L), (storage.Counts.Transactions, storage.Counts.TransactionRows));

        // Behind the writers' backs: row 2 is changed, and row 6 (never written by them) is inserted.
        var theirs = (await storage.Table.GetEntityAsync<TableEntity>(storage.PartitionKeyOf(keys[2]), BucketedTableStorage.RowKeyOf(keys[2]), cancellationToken: TestContext.Current.CancellationToken)).Value;
        await storage.Table.UpdateEntityAsync(theirs, theirs.ETag, TableUpdateMode.Replace, TestContext.Current.CancellationToken);
        await storage.Table.AddEntityAsync(new TableEntity(storage.PartitionKeyOf(keys[6]), BucketedTableStorage.RowKeyOf(keys[6])), TestContext.Current.CancellationToken);

        foreach (var s in states)
        {
            s.State.State!.Wins += 100;
        }

        var writes = states.Select(s => storage.WriteStateAsync("item", s.Id, s.State)).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return null;
            }
            catch (InconsistentStateException e)
            {
                return e;
            }
        }));

        // Rows 2 and 6 fail as conflicts (the item re-reads and re-applies); the 5 others are written by a resubmission.
        Assert.Equal(new[] { false, false, true, false, false, false, true }, outcomes.Select(o => o is not null));
        var counts = storage.Counts;
        Assert.Equal((2L, 4L, 11L), (counts.Conflicts, counts.Transactions, counts.TransactionRows));
        var reader = NewStorage(partitions: 2).Storage;
        foreach (int i in new[] { 0, 1, 3, 4, 5 })
        {
            var read = await ReadAsync(reader, states[i].Id);
            Assert.Equal((100L + i, states[i].State.ETag), (read.State!.Wins, read.ETag));
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task ItemsOfOneTenant_WrittenBehindTogether_ShareTransactions_AndReadBackExactlyAfterDeactivation()
    {
        var token = TestContext.Current.CancellationToken;
        int f = (await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(token)).Model.FactorDimension;
        string tenant = Tenants.FarFromItemTick("t-share");
        var keys = KeysIn(tenant, ClusterFixture.ItemStorage.PartitionsPerTenant, 3, 40).ToList();
        var items = keys.Select(k => fixture.Client.GetGrain<IItemGrain>(k)).ToList();
        await Task.WhenAll(items.Select((item, i) => item.ApplyJudgmentsAsync(new ItemJudgmentBatch([Judgment($"j-{i}", i % 3 == 0 ? -1 : 1, f)]), token)));
        var live = await Task.WhenAll(items.Select(i => i.GetStatsAsync(token)));

        await Task.WhenAll(items.Select(i => i.WriteAsync(token)));

        // 40 rows of one partition, on two silos: one transaction per silo when the writes meet within the window (two
        // windows each at most on a loaded machine); never a request per row.
        var (singles, transactions) = fixture.TableRequests.WritesNaming(tenant + "_");
        Assert.InRange(singles + transactions, 1, 4);
        Assert.Equal(40, (await fixture.ItemTable.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {tenant + "_003"}"), cancellationToken: token).ToListAsync(token)).Count);

        await Task.WhenAll(items.Select(i => fixture.Cluster.DeactivateAsync(i)));
        var reloaded = await Task.WhenAll(items.Select(i => i.GetStatsAsync(token)));
        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal((live[i].Wins, live[i].Losses, live[i].Version, live[i].Strength), (reloaded[i].Wins, reloaded[i].Losses, reloaded[i].Version, reloaded[i].Strength));
            Assert.Equal(live[i].FactorOffset, reloaded[i].FactorOffset);
        }
    }

    [Fact(Timeout = TestTimeouts.Cluster)]
    public async Task AConflictInABatchedWrite_ReAppliesTheItemsUnwrittenJudgmentsOntoTheFreshRow()
    {
        var token = TestContext.Current.CancellationToken;
        int f = (await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SiloEvaluator>().GetAsync(token)).Model.FactorDimension;
        string tenant = Tenants.FarFromItemTick("t-reapply");
        var keys = KeysIn(tenant, ClusterFixture.ItemStorage.PartitionsPerTenant, 5, 6).ToList();
        var items = keys.Select(k => fixture.Client.GetGrain<IItemGrain>(k)).ToList();
        await Task.WhenAll(items.Select((item, i) => item.ApplyJudgmentsAsync(new ItemJudgmentBatch([Judgment($"a-{i}", 1, f)]), token)));
        await Task.WhenAll(items.Select(i => i.WriteAsync(token)));

        // Another writer adds a foreign win to item 2's row; then every item gets two unwritten judgments and all write together.
        var serializer = new PGenRMGrainStorageSerializer(fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>());
        var row = Assert.Single(await StoredEntities.OfItemAsync(fixture.ItemTable, keys[2], token));
        var theirs = serializer.Deserialize<ItemState>(new BinaryData(StoredEntities.Payload(row)))!;
        theirs.RecentJudgmentIds.Add("foreign");
        theirs.Wins++;
        StoredEntities.SetPayload(row, serializer.Serialize(theirs).ToArray());
        await fixture.ItemTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, token);
        await Task.WhenAll(items.Select((item, i) => item.ApplyJudgmentsAsync(new ItemJudgmentBatch([Judgment($"b-{i}", 1, f), Judgment($"c-{i}", -1, f)]), token)));

        // Item 2's write meets the changed row (ETag), re-reads it and re-applies its two judgments: the foreign win stays.
        await Task.WhenAll(items.Select(i => i.WriteAsync(token)));

        for (int i = 0; i < items.Count; i++)
        {
            var stored = serializer.Deserialize<ItemState>(new BinaryData(StoredEntities.Payload(Assert.Single(await StoredEntities.OfItemAsync(fixture.ItemTable, keys[i], token)))))!;
            var served = await items[i].GetStatsAsync(token);
            string[] expected = i == 2 ? ["a-2", "foreign", "b-2", "c-2"] : [$"a-{i}", $"b-{i}", $"c-{i}"];
            Assert.Equal(expected, stored.RecentJudgmentIds);
            Assert.Equal((i == 2 ? 3L : 2L, 1L), (stored.Wins, stored.Losses));
            Assert.Equal((stored.Wins, stored.Losses, stored.Strength), (served.Wins, served.Losses, served.Strength));
        }
    }

    /// <summary><paramref name="count"/> item keys of <paramref name="tenant"/> whose bucket among <paramref name="buckets"/> is <paramref name="bucket"/>.</summary>
    private static IEnumerable<string> KeysIn(string tenant, int buckets, int bucket, int count) =>
        Enumerable.Range(0, int.MaxValue)
            .Select(i => GrainKeys.Item(tenant, $"item-{i}"))
            .Where(k => BucketedTableStorage.Bucket(k, buckets) == bucket)
            .Take(count);

    /// <summary>The item state <paramref name="reader"/> finds for <paramref name="id"/>.</summary>
    private static async Task<GrainState<ItemState>> ReadAsync(BucketedTableStorage reader, GrainId id)
    {
        var read = new GrainState<ItemState>();
        await reader.ReadStateAsync("item", id, read);
        return read;
    }

    private static (GrainId Id, GrainState<ItemState> State) Grain(string key, ItemState state) =>
        (GrainId.Create("item", key), new GrainState<ItemState>(state));

    private static ItemJudgment Judgment(string id, int sign, int f) =>
        new(id, "judge-" + id, sign, Enumerable.Range(0, f + 1).Select(k => 0.1f * (k + 1)).ToArray(), new float[f], 0.2, 1, DateTimeOffset.UnixEpoch);

    private static Task CreateTableAsync(BucketedTableStorage storage) => storage.Table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);

    /// <summary>A storage on a new table of the fixture's Azurite, its requests counted; a long window so only full partitions and the end of a test's writes flush.</summary>
    private (BucketedTableStorage Storage, Requests Requests) NewStorage(int partitions) =>
        NewStorage(new BucketedTableOptions { PartitionsPerTenant = partitions, FlushWindow = TimeSpan.FromMilliseconds(500) });

    private (BucketedTableStorage Storage, Requests Requests) NewStorage(BucketedTableOptions storageOptions)
    {
        var requests = new Requests();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var table = new TableClient(fixture.StorageConnectionString, _table, options);
        var serializer = new PGenRMGrainStorageSerializer(fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>());
        return (new BucketedTableStorage(table, serializer, storageOptions), requests);
    }

    private readonly string _table = "itembatch" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Write requests by the last path segment (a table name, or "$batch" for a transaction).</summary>
    private sealed class Requests : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentDictionary<string, long> _writes = new(StringComparer.Ordinal);

        public Dictionary<string, long> Snapshot() => new(_writes);

        public long Since(Dictionary<string, long> before, string target) => _writes.GetValueOrDefault(target) - before.GetValueOrDefault(target);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get)
            {
                string last = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
                int paren = last.IndexOf('(', StringComparison.Ordinal);
                _writes.AddOrUpdate(paren >= 0 ? last[..paren] : last, 1, (_, n) => n + 1);
            }
        }
    }
}

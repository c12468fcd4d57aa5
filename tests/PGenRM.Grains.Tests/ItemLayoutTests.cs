using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>
/// The "items" storage's layout (a stored row is found only where its key hashes to, so the hash must never change
/// silently) and the items' shared write-behind tick.
/// </summary>
public sealed class ItemLayoutTests
{
    [Fact]
    public void Bucket_IsFnv1aOfTheKey_TheSameInEveryProcess()
    {
        // Golden values (FNV-1a over UTF-16 code units): a change here moves every stored item row (a reset: docs/STORAGE.md).
        Assert.Equal(7, BucketedTableStorage.Bucket("t0/item-1", 16));
        Assert.Equal(7, BucketedTableStorage.Bucket("tenant-a/response 42", 16));
        Assert.Equal(2451, BucketedTableStorage.Bucket("x/y", 4096));
        Assert.Equal(92180423, BucketedTableStorage.Bucket("t0/item-1", 1 << 30));
    }

    [Fact]
    public void Keys_PartitionIsTheTenantAndABucket_RowIsTheEscapedItemKey()
    {
        var storage = new BucketedTableStorage(new Azure.Data.Tables.TableClient("UseDevelopmentStorage=true", "layout"), new ThrowingSerializer());
        string key = GrainKeys.Item("t0", "item-1");

        Assert.Equal("t0_007", storage.PartitionKeyOf(key));
        Assert.Equal("t0%2Fitem-1", BucketedTableStorage.RowKeyOf(key));
        Assert.Throws<FormatException>(() => storage.PartitionKeyOf("no-tenant"));
    }

    [Fact]
    public void UntilNextTick_IsTheSameInstantForAllItemsOfATenant_WithinOnePeriod()
    {
        var now = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);
        var period = ItemGrain.WriteBehindPeriod;
        var first = now + ItemGrain.UntilNextTick("t0", now);
        for (int ms = 0; ms < 20_000; ms += 137)
        {
            var at = now.AddMilliseconds(ms);
            var wait = ItemGrain.UntilNextTick("t0", at);
            Assert.InRange(wait, TimeSpan.FromTicks(1), period);

            // The tenant's ticks are one period apart, and an item asking 1 ms later (before the tick) gets the same tick.
            Assert.Equal(0, (at + wait - first).Ticks % period.Ticks);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                Assert.Equal(at + wait, at.AddMilliseconds(1) + ItemGrain.UntilNextTick("t0", at.AddMilliseconds(1)));
            }
        }

        // Tenants are shifted against each other (by a hash of the id), not all on the same instant.
        Assert.Equal(50, Enumerable.Range(0, 50).Select(t => ItemGrain.UntilNextTick($"tenant-{t}", now)).Distinct().Count());
    }

    private sealed class ThrowingSerializer : Orleans.Storage.IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new NotSupportedException();

        public T? Deserialize<T>(BinaryData input) => throw new NotSupportedException();
    }
}

namespace PGenRM.Encoding.Onnx.Tests;

public sealed class EmbeddingCacheTests
{
    [Fact]
    public void GetAfterAdd_HitsAndCountsExactly()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 2);
        var a = cache.KeyFor("a");
        var b = cache.KeyFor("b");
        cache.Add(a, [1f]);

        Assert.True(cache.TryGet(a, out var va));
        Assert.False(cache.TryGet(b, out var vb));

        Assert.Equal([1f], va);
        Assert.Empty(vb);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void Add_PastCapacity_NeverHoldsMoreThanCapacity()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 8);
        for (var i = 0; i < 100; i++)
        {
            cache.Add(cache.KeyFor($"t{i}"), [i]);
            Assert.InRange(cache.Count, 1, 8);
        }

        // Whatever was kept is the right vector.
        for (var i = 0; i < 100; i++)
        {
            if (cache.TryGet(cache.KeyFor($"t{i}"), out var value))
            {
                Assert.Equal([i], value);
            }
        }
    }

    [Fact]
    public void AddAndGet_CopyTheArrays()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 4);
        var key = cache.KeyFor("text");
        float[] source = [1f, 2f];

        cache.Add(key, source);
        source[0] = 99f;
        Assert.True(cache.TryGet(key, out var first));
        first[1] = 99f;
        Assert.True(cache.TryGet(key, out var second));

        Assert.Equal([1f, 2f], second);
    }

    [Fact]
    public void Add_SameKey_ReplacesWithoutGrowing()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 4);
        var key = cache.KeyFor("text");

        cache.Add(key, [1f]);
        cache.Add(key, [2f]);

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(key, out var value));
        Assert.Equal([2f], value);
    }

    [Fact]
    public void ZeroCapacity_StoresNothingAndCountsMisses()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 0);
        var key = cache.KeyFor("text");

        cache.Add(key, [1f]);

        Assert.False(cache.TryGet(key, out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void Key_DependsOnModelIdAndExactText()
    {
        using var v1 = new EmbeddingCache("all-MiniLM-L6-v2@1", 1);
        using var v2 = new EmbeddingCache("all-MiniLM-L6-v2@2", 1);
        var longText = new string('x', 5000); // above the stack buffer: the pooled path must hash the same way

        Assert.Equal(v1.KeyFor("hello"), v1.KeyFor("hel" + "lo"));
        Assert.NotEqual(v1.KeyFor("hello"), v1.KeyFor("Hello"));
        Assert.NotEqual(v1.KeyFor("hello"), v2.KeyFor("hello"));
        Assert.Equal(v1.KeyFor(longText), v1.KeyFor(new string('x', 5000)));
        Assert.NotEqual(v1.KeyFor(longText), v1.KeyFor(longText + "y"));
    }

    [Fact]
    public async Task ConcurrentUse_StaysWithinCapacityAndConsistent()
    {
        using var cache = new EmbeddingCache("m@1", capacity: 64);
        var ct = TestContext.Current.CancellationToken;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var n = (i * 7 + worker) % 200;
                var key = cache.KeyFor($"t{n}");
                if (cache.TryGet(key, out var value))
                {
                    Assert.Equal([n, n], value);
                }
                else
                {
                    cache.Add(key, [n, n]);
                }
            }
        }, ct)));

        Assert.InRange(cache.Count, 1, 64);
        Assert.Equal(8 * 2000, cache.Hits + cache.Misses);
    }
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class JudgmentSketchTests
{
    [Fact]
    public void Direction_IsDeterministic_AndCallersCannotChangeTheCachedCopy()
    {
        var first = JudgmentSketch.Direction("sketch-test-item");
        first[0] += 100;

        var second = JudgmentSketch.Direction("sketch-test-item");

        Assert.NotEqual(first[0], second[0]);
        Assert.Equal(second, JudgmentSketch.Direction("sketch-test-item"));
        Assert.NotEqual(second, JudgmentSketch.Direction("sketch-test-other"));
        Assert.Equal(JudgmentSketch.DefaultLength, second.Length);
        Assert.Equal(16, JudgmentSketch.Direction("sketch-test-item", 16).Length);
    }

    [Fact]
    public void Add_UsesTheItemDirection_AndTheCacheStaysBounded()
    {
        var sketch = new double[JudgmentSketch.DefaultLength];
        JudgmentSketch.Add(sketch, "sketch-test-a", 1);
        JudgmentSketch.Add(sketch, "sketch-test-b", -0.5);
        var a = JudgmentSketch.Direction("sketch-test-a");
        var b = JudgmentSketch.Direction("sketch-test-b");
        for (int i = 0; i < sketch.Length; i++)
        {
            Assert.Equal(a[i] - (0.5 * b[i]), sketch[i], 12);
        }

        // More distinct items than the cap: the cache empties and refills rather than growing.
        for (int i = 0; i < JudgmentSketch.CacheCapacity + 10; i++)
        {
            JudgmentSketch.Add(new double[8], "sketch-test-many-" + i, 1);
        }

        Assert.InRange(JudgmentSketch.CachedCount, 1, JudgmentSketch.CacheCapacity);
    }
}

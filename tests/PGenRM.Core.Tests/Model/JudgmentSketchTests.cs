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

    [Fact]
    public void Evidence_IsAboutTheRootOfBothJudgmentCounts_AndCosineTimesEvidenceTheNetAgreementCount()
    {
        // arrange: a user with 100 judged items, a neighbour who judged the same 100 the same way but 20 of them the
        // other way (net agreement 80 − 20 = 60), and one who judged 25 other items (no item in common)
        var user = Judged(0, 100, _ => 1.0);
        var partly = Judged(0, 100, i => i < 80 ? 1.0 : -1.0);
        var elsewhere = Judged(1000, 25, _ => 1.0);
        var (su, sp, se) = (JudgmentSketch.Of(user), JudgmentSketch.Of(partly), JudgmentSketch.Of(elsewhere));

        // act
        double evidencePartly = JudgmentSketch.Evidence(su, sp);
        double evidenceElsewhere = JudgmentSketch.Evidence(su, se);
        double netPartly = VectorSimilarity.Cosine(su, sp) * evidencePartly;
        double netElsewhere = VectorSimilarity.Cosine(su, se) * evidenceElsewhere;

        // assert: √(100·100) = 100 and √(100·25) = 50, net 60 and 0, within the sketch's noise (about √(n·n′/256))
        Assert.InRange(evidencePartly, 85, 115);
        Assert.InRange(evidenceElsewhere, 40, 60);
        Assert.InRange(netPartly, 60 - 12, 60 + 12);
        Assert.InRange(netElsewhere, -6, 6);
        Assert.Equal(0.0, JudgmentSketch.Evidence(new double[JudgmentSketch.DefaultLength], su));
        Assert.Equal(0.0, JudgmentSketch.Evidence(Array.Empty<double>(), Array.Empty<double>()));
        Assert.Equal(evidencePartly, JudgmentSketch.Evidence(Array.ConvertAll(su, x => (float)x), Array.ConvertAll(sp, x => (float)x)), 3);
    }

    private static Dictionary<string, double> Judged(int first, int count, Func<int, double> sign) =>
        Enumerable.Range(0, count).ToDictionary(i => $"evidence-item-{first + i}", i => sign(i), StringComparer.Ordinal);
}

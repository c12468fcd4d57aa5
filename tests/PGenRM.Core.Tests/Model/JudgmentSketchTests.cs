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

    [Fact]
    public void OfPairs_IsWhatTheUserGrainAdds_AndOpposesRegistersThatThePerItemSketchMakesAlike()
    {
        // arrange: 60 queries answered in registers a, b, c, d and plainly (n); user A prefers its register's answer over
        // the other four, user B its own (DSP's users)
        string[] registers = ["a", "b", "c", "d", "n"];
        List<(string Chosen, string Rejected)> Prefers(string own) =>
            Enumerable.Range(0, 60)
                .SelectMany(q => registers.Where(r => r != own).Select(r => ($"dsp-{q}-{own}", $"dsp-{q}-{r}")))
                .ToList();
        var pairsA = Prefers("a");
        var pairsB = Prefers("b");
        var grain = new double[JudgmentSketch.DefaultLength];
        foreach (var (chosen, rejected) in pairsA)
        {
            JudgmentSketch.Add(grain, chosen, 1);
            JudgmentSketch.Add(grain, rejected, -1);
        }

        // act
        double perItem = VectorSimilarity.Cosine(JudgmentSketch.Of(Judgments.FromPairs(pairsA)), JudgmentSketch.Of(Judgments.FromPairs(pairsB)));
        double perPair = VectorSimilarity.Cosine(JudgmentSketch.OfPairs(pairsA), JudgmentSketch.OfPairs(pairsB));

        // assert: the user grain's sum exactly; per item A and B agree on 3 of 5 answers per query (+1/5 = 0.2: alike),
        // per pair the chosen answer weighs its four pairs (4·(−1) + 4·(−1) + 3 = −5 of 20 per query: −0.25, opposed)
        Assert.Equal(grain, JudgmentSketch.OfPairs(pairsA));
        Assert.InRange(perItem, 0.1, 0.3);
        Assert.InRange(perPair, -0.35, -0.15);
    }

    private static Dictionary<string, double> Judged(int first, int count, Func<int, double> sign) =>
        Enumerable.Range(0, count).ToDictionary(i => $"evidence-item-{first + i}", i => sign(i), StringComparer.Ordinal);
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class UserModelTests
{
    private const int Content = 6, Factors = 2;

    [Fact]
    public void AddRange_FitsTheSameSchemeAsAddingOneByOne()
    {
        var options = new HybridModelOptions { FactorDimension = Factors };
        var pairs = Pairs(new Random(5), 12);
        var oneByOne = new UserModel(Prior(), options);
        foreach (var pair in pairs)
        {
            oneByOne.Add(pair);
        }

        var together = new UserModel(Prior(), options);
        together.AddRange(pairs);

        Assert.Equal(12, together.PairCount);
        Assert.Equal(oneByOne.History, together.History);
        for (int i = 0; i < oneByOne.Scheme.Length; i++)
        {
            Assert.Equal(oneByOne.Scheme[i], together.Scheme[i], 5);
        }
    }

    [Fact]
    public void AddRange_FoldsTheOldestPairsBeyondCapacity()
    {
        var model = new UserModel(Prior(), new HybridModelOptions { FactorDimension = Factors, HistoryCapacity = 5 });
        var pairs = Pairs(new Random(6), 8);

        model.AddRange(pairs);

        Assert.Equal(pairs.Skip(3), model.History);
        Assert.Equal(3, model.Folded.Count);
        Assert.Equal(8, model.PairCount);
        Assert.False(model.IsColdStart);
    }

    private static DiagonalGaussian Prior() => new(new double[Content + Factors], [.. Enumerable.Repeat(1.0, Content + Factors)]);

    private static List<PairEvidence> Pairs(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PairEvidence(
            $"c{i}",
            $"r{i}",
            [.. Enumerable.Range(0, Content).Select(k => (k == 0 ? 1.0 : 0) + (random.NextDouble() - 0.5))],
            new ItemView(0, [random.NextDouble() - 0.5, random.NextDouble() - 0.5]),
            new ItemView(0, [random.NextDouble() - 0.5, random.NextDouble() - 0.5]),
            []))];
}

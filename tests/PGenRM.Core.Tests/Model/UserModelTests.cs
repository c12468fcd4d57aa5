using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class UserModelTests
{
    private const int Content = 6, Factors = 2;

    /// <summary>The prior-scale grid before the default was widened to 1/64 … 1024.</summary>
    private static readonly double[] OldGrid = [0.25, 1, 4, 16, 64, 256];



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

    [Fact]
    public void Add_BetweenGridSearches_RefitsAtTheLastSearchedScale()
    {
        // arrange: the search runs on pairs 1–16, then at 32 (doubling and interval); pairs 17–20 are online updates
        var options = new HybridModelOptions { FactorDimension = Factors, PriorScaleSearchInterval = 16, PriorScaleGrid = OldGrid };
        var pairs = Pairs(new Random(7), 20);
        var model = new UserModel(Prior(), options);
        foreach (var pair in pairs.Take(16))
        {
            model.Add(pair);
        }

        double searched = model.Scale;
        foreach (var pair in pairs.Skip(16))
        {
            model.Add(pair);
        }

        // assert: the scheme is the fit at the scale found at pair 16, which need not be today's best scale
        var atScale = SchemeLearner.FitUserAtScale(Prior(), searched, model.Observations(), options);
        Assert.Equal(searched, model.Scale);
        Assert.Equal(searched, model.Posterior!.Scale);
        for (int i = 0; i < model.Scheme.Length; i++)
        {
            Assert.Equal(atScale.Mean[i], model.Scheme[i], 6);
        }
    }

    [Fact]
    public void Add_PeriodicGridSearch_StaysCloseToSearchingOnEveryPair_AndRestoreSearches()
    {
        var pairs = Pairs(new Random(8), 80);
        // The grid floor of 1/4: at the default floor of 1/64 this data is nearly separable and six Newton steps from a
        // warm start do not converge, so periodic and every-pair searches part by up to 1.75 in a weight (not fixed here).
        var periodic = new UserModel(Prior(), new HybridModelOptions { FactorDimension = Factors, HistoryCapacity = 48, PriorScaleGrid = OldGrid });
        var everyTime = new UserModel(Prior(), new HybridModelOptions { FactorDimension = Factors, HistoryCapacity = 48, PriorScaleSearchInterval = 1, PriorScaleGrid = OldGrid });
        double worst = 0;
        foreach (var pair in pairs)
        {
            periodic.Add(pair);
            everyTime.Add(pair);
            worst = Math.Max(worst, periodic.Scheme.Zip(everyTime.Scheme, (a, b) => Math.Abs(a - b)).Max());
        }

        Assert.True(worst < 0.1, $"largest scheme difference {worst:F4}");

        // Restore runs the grid search, as it did before the periodic search existed.
        var restored = new UserModel(Prior(), periodic.Options);
        restored.Restore(periodic.History, periodic.Folded, null);
        var searched = SchemeLearner.FitUser(Prior(), periodic.Observations(), periodic.Options, periodic.Folded);
        Assert.Equal(searched.Mean, restored.Scheme);
        Assert.Equal(searched.Scale, restored.Scale);
    }

    [Fact]
    public void Restore_WithTheStoredSearchState_ResumesTheFitTheModelHeld_WhereAFreshSearchPicksAnotherScale()
    {
        // arrange: 16 pairs of one taste, searched; then the user turns (pairs 17–20 the other way, updated online at the
        // scale found at 16) and the state is stored
        var options = new HybridModelOptions { FactorDimension = Factors, PriorScaleSearchInterval = 16, PriorScaleGrid = OldGrid };
        var pairs = Pairs(new Random(7), 36);
        for (int k = 16; k < 20; k++)
        {
            pairs[k] = pairs[k] with { ContentDiff = Array.ConvertAll(pairs[k].ContentDiff, x => -4 * x) };
        }

        var live = new UserModel(Prior(), options);
        foreach (var pair in pairs.Take(20))
        {
            live.Add(pair);
        }

        var stored = live.SearchState;

        // act: one activation resumes the stored search state, one searches afresh
        var resumed = new UserModel(Prior(), options);
        resumed.Restore(live.History, live.Folded, null, stored);
        var searched = new UserModel(Prior(), options);
        searched.Restore(live.History, live.Folded, null);

        // assert: a fresh search would change this user's scale, and so its scheme; the resumed one holds the live fit
        Assert.Equal(new ScaleSearchState(live.Scale, 16, 4), stored);
        Assert.NotEqual(live.Scale, searched.Scale);
        Assert.Equal(live.Scale, resumed.Scale);
        for (int i = 0; i < live.Scheme.Length; i++)
        {
            Assert.Equal(live.Scheme[i], resumed.Scheme[i], 6);
        }

        // and it goes on as the live model does: the same online updates, the same search at pair 32
        foreach (var pair in pairs.Skip(20))
        {
            live.Add(pair);
            resumed.Add(pair);
            Assert.Equal(live.Scale, resumed.Scale);
            Assert.Equal(live.SearchState, resumed.SearchState);
        }

        for (int i = 0; i < live.Scheme.Length; i++)
        {
            Assert.Equal(live.Scheme[i], resumed.Scheme[i], 6);
        }
    }

    [Fact]
    public void Options_RejectAPriorScaleSearchIntervalBelowOne()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HybridModelOptions { PriorScaleSearchInterval = 0 }.Validate());
        Assert.Contains(nameof(HybridModelOptions.PriorScaleSearchInterval), error.Message, StringComparison.Ordinal);
    }

    private static DiagonalGaussian Prior() => new(new double[Content + Factors + 1], [.. Enumerable.Repeat(1.0, Content + Factors + 1)]);

    private static List<PairEvidence> Pairs(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PairEvidence(
            $"c{i}",
            $"r{i}",
            [.. Enumerable.Range(0, Content).Select(k => (k == 0 ? 1.0 : 0) + (random.NextDouble() - 0.5))],
            new ItemView(0, [random.NextDouble() - 0.5, random.NextDouble() - 0.5]),
            new ItemView(0, [random.NextDouble() - 0.5, random.NextDouble() - 0.5]),
            []))];
}

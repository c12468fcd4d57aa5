using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class ItemViewTests
{
    private static readonly double[] Scheme = [1.0, -0.5, 2.0, 3.0, 0.0];

    [Fact]
    public void UnjudgedItem_HasNoCollaborativePart_SoNewContentIsScoredByContentAlone()
    {
        double[] prior = [0.4, -0.2];
        var item = ItemView.Unseen(prior);
        var candidate = new Candidate("new", [0.3, 0.1], item);

        Assert.False(item.Judged);
        Assert.Equal([0.0, 0.0], item.ScoredFactor);
        Assert.Equal((1.0 * 0.3) + (-0.5 * 0.1), TestTimeScaler.Score(Scheme, candidate), 12);
        Assert.Equal(0, TestTimeScaler.LearnedScore(Scheme, candidate), 12);
    }

    [Fact]
    public void JudgedItem_KeepsItsWholeFactor()
    {
        double[] prior = [0.4, -0.2];
        var item = new ItemView(0.7, [0.5, -0.2], prior);
        var candidate = new Candidate("old", [0.3, 0.1], item);

        Assert.True(item.Judged);
        Assert.Equal((1.0 * 0.3) + (-0.5 * 0.1) + 0.7 + (2.0 * 0.5) + (3.0 * -0.2), TestTimeScaler.Score(Scheme, candidate), 12);
        Assert.True(new ItemView(0, [0.5, -0.2], prior).Judged, "a learned factor offset alone marks the item as judged");
        Assert.True(new ItemView(0, [0.4, -0.2]).Judged, "without a known prior the whole factor counts as learned");
    }

    [Fact]
    public void Recurs_WithoutAKnownPrior_FollowsTheStrength()
    {
        Assert.False(new ItemView(0, [0.4, -0.2]).Recurs, "a stored view of an item nobody had judged: b = 0");
        Assert.True(new ItemView(0.1, [0.4, -0.2]).Recurs);
        Assert.False(ItemView.Unseen([0.4, -0.2]).Recurs);
        Assert.True(new ItemView(0, [0.5, -0.2], [0.4, -0.2]).Recurs, "a known prior: a learned offset counts");
    }
}

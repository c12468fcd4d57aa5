using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Tests.Data;

public sealed class RatingPairingTests
{
    // User u; prompt p: a=4 (t1), b=2 (t2), c=4 (t3), d=0 (t4); prompt q: e=1 (t5), f=3 (t6).
    private static readonly RatingJudgment[] s_ratings =
    [
        new("u", "p", "a", 4, 1),
        new("u", "p", "b", 2, 2),
        new("u", "p", "c", 4, 3),
        new("u", "p", "d", 0, 4),
        new("u", "q", "e", 1, 5),
        new("u", "q", "f", 3, 6),
    ];

    [Fact]
    public void ForUser_PairsEveryHigherWithEveryLowerWithinAPrompt()
    {
        var pairs = RatingPairing.ForUser(s_ratings);

        PairJudgment[] expected =
        [
            new("u", "p", "a", "b", 2, null),
            new("u", "p", "a", "d", 4, null),
            new("u", "p", "c", "b", 3, null),
            new("u", "p", "b", "d", 4, null),
            new("u", "p", "c", "d", 4, null),
            new("u", "q", "f", "e", 6, null),
        ];
        Assert.Equal(expected, pairs); // a–c is a tie, and nothing pairs across prompts
    }

    [Fact]
    public void ForUser_DoesNotDependOnInputOrder()
    {
        Assert.Equal(RatingPairing.ForUser(s_ratings), RatingPairing.ForUser(s_ratings.Reverse()));
    }

    [Fact]
    public void ForUser_PolisVotes_PairAgreedAgainstDisagreed()
    {
        RatingJudgment[] votes = [new("c/7", "c", "c/1", 1, 10), new("c/7", "c", "c/2", -1, 20), new("c/7", "c", "c/3", 1, 30), new("c/7", "c", "c/4", -1, 40)];

        var pairs = RatingPairing.ForUser(votes);

        Assert.Equal([("c/1", "c/2"), ("c/1", "c/4"), ("c/3", "c/2"), ("c/3", "c/4")], pairs.Select(p => (p.ChosenId, p.RejectedId)));
    }

    [Fact]
    public void ForUser_AllTies_GiveNoPairs()
    {
        RatingJudgment[] ties = [new("u", "p", "a", 3, 1), new("u", "p", "b", 3, 2), new("u", "p", "c", 3, 3)];

        Assert.Empty(RatingPairing.ForUser(ties));
    }

    [Fact]
    public void ForUser_AllowedItems_KeepsBothItemsOfEveryPairInTheSet()
    {
        var pairs = RatingPairing.ForUser(s_ratings, new HashSet<string> { "a", "b", "d", "e" });

        Assert.Equal([("a", "b"), ("a", "d"), ("b", "d")], pairs.Select(p => (p.ChosenId, p.RejectedId)));
    }

    [Fact]
    public void ForUser_Cap_IsASeededDeterministicSubsetInCanonicalOrder()
    {
        var all = RatingPairing.ForUser(s_ratings);

        var samples = Enumerable.Range(0, 20).Select(seed => RatingPairing.ForUser(s_ratings, maxPairs: 3, seed: seed)).ToArray();

        for (var seed = 0; seed < samples.Length; seed++)
        {
            Assert.Equal(samples[seed], RatingPairing.ForUser(s_ratings, maxPairs: 3, seed: seed));
            Assert.Equal(3, samples[seed].Count);
            var positions = samples[seed].Select(p => all.ToList().IndexOf(p)).ToArray();
            Assert.DoesNotContain(-1, positions);
            Assert.Equal(positions.Order(), positions);
        }

        // C(6,3) = 20 possible samples; 20 seeds that all agreed would mean the seed is ignored.
        Assert.True(samples.Select(s => string.Join(';', s.Select(p => p.ChosenId + p.RejectedId))).Distinct().Count() > 1);
        Assert.Equal(all, RatingPairing.ForUser(s_ratings, maxPairs: 6, seed: 1));
        Assert.Empty(RatingPairing.ForUser(s_ratings, maxPairs: 0));
    }

    [Fact]
    public void ForUser_RejectsMixedUsersAndRepeatedItems()
    {
        Assert.Throws<ArgumentException>(() => RatingPairing.ForUser([new("u", "p", "a", 1, 1), new("v", "p", "b", 0, 2)]));
        Assert.Throws<ArgumentException>(() => RatingPairing.ForUser([new("u", "p", "a", 1, 1), new("u", "p", "a", 0, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingPairing.ForUser(s_ratings, maxPairs: -1));
    }

    [Fact]
    public void ForAllUsers_SeedsEachUserIndependentlyOfTheOthers()
    {
        RatingJudgment[] other = [new("v", "p", "a", 1, 1), new("v", "p", "b", 0, 2), new("v", "p", "c", -1, 3)];

        var both = RatingPairing.ForAllUsers(other.Concat(s_ratings), maxPairsPerUser: 2, seed: 7);
        var alone = RatingPairing.ForAllUsers(s_ratings, maxPairsPerUser: 2, seed: 7);

        Assert.Equal(["u", "u", "v", "v"], both.Select(p => p.UserId));
        Assert.Equal(alone, both.Where(p => p.UserId == "u"));
        Assert.Equal(RatingPairing.ForUser(s_ratings, maxPairs: 2, seed: RatingPairing.UserSeed(7, "u")), alone);
    }

    [Fact]
    public void ForAllUsers_OnPolis_ItemSplitLeaksNoHeldOutItem()
    {
        var polis = SharedDatasets.Polis;
        var random = new Random(3);
        var train = polis.Items.Keys.Order(StringComparer.Ordinal).Where(_ => random.NextDouble() < 0.7).ToHashSet();

        var pairs = RatingPairing.ForAllUsers(polis.Ratings, train, maxPairsPerUser: 100, seed: 0);

        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.True(train.Contains(p.ChosenId) && train.Contains(p.RejectedId)));
        Assert.All(pairs.GroupBy(p => p.UserId), g => Assert.InRange(g.Count(), 1, 100));
        Assert.All(pairs, p => Assert.Equal(p.PromptId, polis.Items[p.ChosenId].PromptId));
    }

    [Fact]
    public void ForAllUsers_OnGsc_GivesTheReadmePairCount()
    {
        // README: pairs of statements with different ratings within each user give 1,671 pairs.
        Assert.Equal(1671, RatingPairing.ForAllUsers(SharedDatasets.Gsc.Dataset.Ratings).Count);
    }
}

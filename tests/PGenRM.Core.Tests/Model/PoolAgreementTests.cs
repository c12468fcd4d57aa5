using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class PoolAgreementTests
{
    private static readonly Dictionary<string, double> NoJudgments = [];

    [Fact]
    public void Of_IsTheEvidenceWeightedMeanCosineOverMemberPairs_AndIgnoresRepeatsAndMissingSketches()
    {
        // arrange: sketches of length 16 (resolution 1/4): a and b point the same way, c is orthogonal to both
        float[] a = Sketch(16, (0, 2)), b = Sketch(16, (0, 4)), c = Sketch(16, (1, 1));

        // act
        var pool = PoolAgreement.Of([Member("a", a), Member("b", b), Member("c", c), Member("a", c), Member("x", null)]);

        // assert: pairs (a, b): cos 1, E = 2·4/16; (a, c): cos 0, E = 2/16; (b, c): cos 0, E = 4/16
        Assert.Equal(0.5 / (0.5 + 0.125 + 0.25), pool.Mean, 12);
        Assert.Equal(0.875, pool.Evidence, 12);
        Assert.Equal(0.25, pool.Resolution, 12);
        Assert.True(pool.HasEvidence);
        Assert.Same(PoolAgreement.None, PoolAgreement.Of([Member("a", a), Member("a", b)]));
        Assert.False(PoolAgreement.Of([Member("a", a), Member("z", new float[16])]).HasEvidence);
        Assert.False(PoolAgreement.None.HasEvidence);
    }

    [Fact]
    public void AgreementWeight_OfANewUser_FollowsThePool_NearOneWhereMembersAgree_ZeroWhereTheyAreOpposed()
    {
        // arrange: a new user whose sketch shares nothing with the neighbour's yet (s = 0, E = 4·1/16), c = 100
        var scaling = new ScalingOptions { N = 8, AgreementPrior = 100, AgreementTarget = AgreementTarget.PoolRelative };
        var neighbour = new Neighbour("a", [0.0], 0, NoJudgments) { Evidence = 0.25 };
        var agreeing = PoolAgreement.Of([Member("a", Sketch(16, (0, 4))), Member("b", Sketch(16, (0, 4)))]);
        var opposed = PoolAgreement.Of([Member("a", Sketch(16, (0, 4))), Member("b", Sketch(16, (0, -4)))]);
        var diluted = PoolAgreement.Of([Member("a", Sketch(16, (0, 4))), Member("b", Sketch(16, (0, 3), (1, 4)))]);

        // act + assert: a0 = 1, −1 and 0.6 (cos of [4, 0] and [3, 4])
        Assert.Equal(1.0, agreeing.Mean, 12);
        Assert.Equal(-1.0, opposed.Mean, 12);
        Assert.Equal(0.6, diluted.Mean, 12);

        // agreeing pool: (0·E + 1·c) / (E + c) in units of 1 → near 1, as with the target 1 of session 4
        Assert.Equal(100 / 100.25, TestTimeScaler.AgreementWeight(neighbour, scaling, agreeing), 12);
        Assert.Equal(100 / 100.25, TestTimeScaler.AgreementWeight(neighbour, scaling with { AgreementTarget = AgreementTarget.One }, opposed), 12);

        // opposed pool: the target −1 takes the new user's weight to 0 (session 4's target 1 counted the neighbour fully)
        Assert.Equal(0.0, TestTimeScaler.AgreementWeight(neighbour, scaling, opposed));
        Assert.Equal(0.0, TestTimeScaler.AgreementWeight(neighbour, scaling with { AgreementTarget = AgreementTarget.Pool }, opposed));

        // a pool whose members agree at cosine 0.6 (they judged partly different items): a typical member counts fully,
        // a much-judged neighbour at half the pool's agreement counts half; the absolute target leaves a new user at 0.6
        Assert.Equal(1.0, TestTimeScaler.AgreementWeight(neighbour with { Evidence = 0 }, scaling, diluted), 12);
        Assert.Equal(0.5, TestTimeScaler.AgreementWeight(neighbour with { Similarity = 0.3, Evidence = double.PositiveInfinity }, scaling, diluted), 12);
        Assert.Equal(0.6, TestTimeScaler.AgreementWeight(neighbour with { Evidence = 0 }, scaling with { AgreementTarget = AgreementTarget.Pool }, diluted), 12);

        // below the sketch's resolution (1/4 here) the unit is the resolution: a0 = 0.1 gives a new user 0.1 / 0.25
        var faint = new PoolAgreement(0.1, 1, 0.25);
        Assert.Equal(0.4, TestTimeScaler.AgreementWeight(neighbour with { Evidence = 0 }, scaling, faint), 12);

        // no evidence in the pool: the target 1 of session 4
        Assert.Equal(100 / 100.25, TestTimeScaler.AgreementWeight(neighbour, scaling, PoolAgreement.None), 12);
    }

    [Fact]
    public void Fuse_NewUserInAPoolOfMatesFollowsThem_InAPoolOfOpposedTastesKeepsItsOwnScore()
    {
        // arrange: the user judged 5 of 60 items (+1); mates judged all 60 like it; in the opposed pool one member judged
        // them +1, the other −1. Both members chose candidate x over y; the user's own scheme prefers y by 1.
        var user = Judged(0, 5, 1);
        var userSketch = JudgmentSketch.Of(user);
        var candidates = new[] { Candidate("x"), Candidate("y") };
        var scaling = new ScalingOptions { N = 8, AgreementPrior = 100, AgreementTarget = AgreementTarget.PoolRelative };
        Neighbour Of(string id, Dictionary<string, double> judged)
        {
            var sketch = JudgmentSketch.Of(judged);
            return new Neighbour(id, [-1.0], VectorSimilarity.Cosine(sketch, userSketch), new Dictionary<string, double> { ["x"] = 1, ["y"] = -1 })
            {
                Evidence = JudgmentSketch.Evidence(sketch, userSketch),
                Sketch = Array.ConvertAll(sketch, v => (float)v),
            };
        }

        Neighbour[] mates = [Of("m1", Judged(0, 60, 1)), Of("m2", Judged(0, 60, 1))];
        Neighbour[] opposed = [Of("o1", Judged(0, 60, 1)), Of("o2", Judged(0, 60, -1))];

        // act
        var withMates = TestTimeScaler.Fuse([[1.0]], candidates, mates, scaling);
        var withOpposed = TestTimeScaler.Fuse([[1.0]], candidates, opposed, scaling);
        var opposedSession4 = TestTimeScaler.Fuse([[1.0]], candidates, opposed, scaling with { AgreementTarget = AgreementTarget.One });

        // assert: the mates' judgments (weight ≈ (5 + 100) / (√300 + 100) ≈ 0.9 each) turn the choice to x; the opposed
        // members count 0 and the prototype level is the user's own score (reward = own score); session 4's target 1
        // counted them ≈ 0.8–0.9 each and let them turn the choice
        Assert.Equal(0, TestTimeScaler.ArgMax(withMates.Rewards));
        Assert.Equal(["m1", "m2"], withMates.Neighbours);
        Assert.All(mates, m => Assert.InRange(TestTimeScaler.AgreementWeight(m, scaling, PoolAgreement.Of(mates)), 0.85, 0.95));
        Assert.Equal([-1.0, 1.0], withOpposed.Rewards);
        Assert.Empty(withOpposed.Neighbours);
        Assert.All(opposed, m => Assert.Equal(0.0, TestTimeScaler.AgreementWeight(m, scaling, PoolAgreement.Of(opposed))));
        Assert.Equal(0, TestTimeScaler.ArgMax(opposedSession4.Rewards));
    }

    private static Neighbour Member(string id, float[]? sketch) => new(id, [0.0], 0, NoJudgments) { Sketch = sketch };

    private static float[] Sketch(int length, params (int Index, float Value)[] entries)
    {
        var sketch = new float[length];
        foreach (var (index, value) in entries)
        {
            sketch[index] = value;
        }

        return sketch;
    }

    private static Dictionary<string, double> Judged(int from, int count, double sign) =>
        Enumerable.Range(from, count).ToDictionary(i => $"item{i}", _ => sign);

    // Content [1] for y and [−1] for x: the user's scheme [1] prefers y by 2 in reward (own scores −1 and +1),
    // a neighbour's scheme [−1] prefers x; no item statistics.
    private static Candidate Candidate(string id) => new(id, id == "x" ? [-1.0] : [1.0], new ItemView(0, []));
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

public sealed class HybridTrainerTests
{
    /// <summary>
    /// Two planted groups disagree on every shared item and the content features carry nothing. Each user judges
    /// 15 of 40 items; the rest are held out. Item popularity is near chance there; the collaborative part must
    /// recover each user's group preference on items the user never judged.
    /// </summary>
    [Fact]
    public void Collaborative_RecoversGroupPreferenceOnItemsTheUserHasNotJudged()
    {
        // arrange
        var random = new Random(3);
        const int users = 80, items = 40, judgedPerUser = 15, d = 4, f = 4;
        var utility = new double[2][];
        utility[0] = Enumerable.Range(0, items).Select(_ => SyntheticData.Gaussian(random) * 2).ToArray();
        utility[1] = utility[0].Select(u => -u).ToArray();
        var set = new TrainingSet(Enumerable.Repeat(1.0, d).ToArray(), f);
        for (int i = 0; i < items; i++)
        {
            set.AddItem($"item{i}", SyntheticData.GaussianVector(random, d), SyntheticData.GaussianVector(random, f, 0.3));
        }

        var heldOut = new List<(int User, int A, int B, bool AWins)>();
        for (int u = 0; u < users; u++)
        {
            int user = set.AddUser($"user{u}");
            var group = utility[u % 2];
            var order = Enumerable.Range(0, items).OrderBy(_ => random.Next()).ToArray();
            var judged = order.Take(judgedPerUser).ToArray();
            var unseen = order.Skip(judgedPerUser).ToArray();
            for (int k = 0; k < 40; k++)
            {
                int a = judged[random.Next(judged.Length)], b = judged[random.Next(judged.Length)];
                if (a == b)
                {
                    continue;
                }

                bool aWins = random.NextDouble() < BayesianLogistic.Sigmoid(group[a] - group[b]);
                set.AddPair(user, aWins ? a : b, aWins ? b : a);
            }

            for (int k = 0; k < 20; k++)
            {
                int a = unseen[random.Next(unseen.Length)], b = unseen[random.Next(unseen.Length)];
                if (a != b)
                {
                    heldOut.Add((user, a, b, group[a] > group[b]));
                }
            }
        }

        // act
        var trainer = new HybridTrainer(set, new HybridModelOptions { FactorDimension = f }, new TrainerOptions { Prototypes = 2, Rounds = 5 });
        trainer.Train();

        // assert: per-user scheme beats item popularity (which cannot tell the groups apart) by a wide margin
        double model = 0, popularity = 0;
        foreach (var (user, a, b, aWins) in heldOut)
        {
            double sa = TestTimeScaler.Score(trainer.UserSchemes[user], trainer.Candidate(a));
            double sb = TestTimeScaler.Score(trainer.UserSchemes[user], trainer.Candidate(b));
            model += (sa > sb) == aWins ? 1 : 0;
            double pa = trainer.ItemStrength[a], pb = trainer.ItemStrength[b];
            popularity += (pa > pb) == aWins ? 1 : 0;
        }

        model /= heldOut.Count;
        popularity /= heldOut.Count;
        Assert.True(model >= 0.8, $"collaborative accuracy {model:P1}");
        Assert.True(model >= popularity + 0.2, $"collaborative {model:P1} vs popularity {popularity:P1}");
    }

    [Fact]
    public void Train_IsDeterministic()
    {
        var first = TrainSmall();
        var second = TrainSmall();
        for (int u = 0; u < first.UserSchemes.Length; u++)
        {
            Assert.Equal(first.UserSchemes[u], second.UserSchemes[u]);
        }

        Assert.Equal(first.ItemStrength, second.ItemStrength);
    }

    /// <summary>
    /// A user's observations take each item's strength without the user's own pairs (as the service's stored pairs hold
    /// it): items only this user judged have strength 0 there, though their trained b is large (the user's doing).
    /// </summary>
    [Fact]
    public void Observations_TakeItemStrengthsWithoutTheUsersOwnPairs()
    {
        // arrange: u0 alone judged "star" and "moon" (star chosen in all 12 pairs); u1 and u2 judge six other items
        var random = new Random(4);
        var set = new TrainingSet([1.0, 1.0], 2);
        int star = set.AddItem("star", [0.0, 0.0], [0.1, 0.0]);
        int moon = set.AddItem("moon", [0.0, 0.0], [0.0, 0.1]);
        for (int i = 0; i < 6; i++)
        {
            set.AddItem($"i{i}", SyntheticData.GaussianVector(random, 2), SyntheticData.GaussianVector(random, 2, 0.3));
        }

        int u0 = set.AddUser("u0");
        for (int k = 0; k < 12; k++)
        {
            set.AddPair(u0, star, moon);
        }

        for (int u = 1; u <= 2; u++)
        {
            int user = set.AddUser($"u{u}");
            for (int k = 0; k < 15; k++)
            {
                int a = 2 + random.Next(6), b = 2 + ((a - 2 + 1 + random.Next(5)) % 6);
                set.AddPair(user, a, b);
            }
        }

        var trainer = new HybridTrainer(set, new HybridModelOptions { FactorDimension = 2 }, new TrainerOptions { Prototypes = 1, Rounds = 3 });

        // act
        trainer.Train();
        var observations = trainer.Observations(u0);

        // assert: the trained strengths differ by more than 1; in u0's own pairs both are 0 (offset and δ's feature)
        Assert.True(trainer.ItemStrength[star] - trainer.ItemStrength[moon] > 1, $"b(star) − b(moon) = {trainer.ItemStrength[star] - trainer.ItemStrength[moon]:F3}");
        Assert.Equal(12, observations.Count);
        Assert.All(observations, o =>
        {
            Assert.Equal(0, o.Offset, 1e-6);
            Assert.Equal(0, o.Features[^1], 1e-6);
        });
    }

    /// <summary>
    /// The trainer fits the users' collaborative stage at the tenant's scale (<see cref="CollaborativeScale.Tenant"/>) as
    /// the service does: a tenant whose users split into two opposed halves on the same items gets a weak scale (their
    /// factors and weights must leave the prior), one whose users all share one taste the strongest (item strength says
    /// it all); switched off, each user chooses its own and no tenant scale is set.
    /// </summary>
    [Fact]
    public void Train_TenantCollaborativeScale_IsWeakForOpposedGroups_StrongestForOneTaste_NullWhenOff()
    {
        HybridTrainer Train(bool opposed, bool tenant)
        {
            var random = new Random(4);
            var set = new TrainingSet([1.0, 1.0, 1.0], 2);
            var utility = Enumerable.Range(0, 16).Select(_ => 2 * SyntheticData.Gaussian(random)).ToArray();
            for (int i = 0; i < utility.Length; i++)
            {
                set.AddItem($"i{i}", SyntheticData.GaussianVector(random, 3, 0.1), SyntheticData.GaussianVector(random, 2, 0.3));
            }

            for (int u = 0; u < 24; u++)
            {
                int user = set.AddUser($"u{u}");
                double sign = opposed && u % 2 == 1 ? -1 : 1;
                for (int k = 0; k < 20; k++)
                {
                    int a = random.Next(16), b = (a + 1 + random.Next(15)) % 16;
                    bool aWins = random.NextDouble() < BayesianLogistic.Sigmoid(sign * (utility[a] - utility[b]));
                    set.AddPair(user, aWins ? a : b, aWins ? b : a);
                }
            }

            var trainer = new HybridTrainer(set, new HybridModelOptions { FactorDimension = 2 },
                new TrainerOptions { Prototypes = 2, Parallelism = 2, TenantCollaborativeScale = tenant });
            trainer.Train();
            return trainer;
        }

        var grid = new HybridModelOptions().PriorScaleGrid;
        var opposedTenant = Train(opposed: true, tenant: true);
        var oneTaste = Train(opposed: false, tenant: true);
        var off = Train(opposed: true, tenant: false);

        Assert.NotNull(opposedTenant.TenantCollaborativeScale);
        Assert.Contains(opposedTenant.TenantCollaborativeScale!.Value, grid);
        Assert.True(opposedTenant.TenantCollaborativeScale < grid.Max(), $"opposed groups: {opposedTenant.TenantCollaborativeScale}");
        Assert.Equal(grid.Max(), oneTaste.TenantCollaborativeScale);
        Assert.Null(off.TenantCollaborativeScale);
    }

    private static HybridTrainer TrainSmall()
    {
        var random = new Random(9);
        var set = new TrainingSet([1.0, 1.0, 1.0], 2);
        for (int i = 0; i < 12; i++)
        {
            set.AddItem($"i{i}", SyntheticData.GaussianVector(random, 3), SyntheticData.GaussianVector(random, 2, 0.3));
        }

        for (int u = 0; u < 10; u++)
        {
            int user = set.AddUser($"u{u}");
            for (int k = 0; k < 15; k++)
            {
                int a = random.Next(12), b = (a + 1 + random.Next(11)) % 12;
                set.AddPair(user, a, b);
            }
        }

        var trainer = new HybridTrainer(set, new HybridModelOptions { FactorDimension = 2 }, new TrainerOptions { Prototypes = 2, Parallelism = 2 });
        trainer.Train();
        return trainer;
    }

    /// <summary>
    /// The full method's content weights are the content-only model's: fitted first on the same pairs, under the same
    /// prototypes (clustered on content weights, shrunk alike), so on new content (no item statistics) the full method
    /// scores exactly as its content part alone, whatever the collaborative part learned on train items.
    /// </summary>
    [Fact]
    public void Train_ContentWeightsOfTheFullMethod_AreTheContentOnlyModels()
    {
        // arrange: 24 users in two taste groups over content and items, items shared between users
        var random = new Random(21);
        const int d = 5, f = 3;
        var set = new TrainingSet(Enumerable.Repeat(1.0, d).ToArray(), f);
        for (int i = 0; i < 30; i++)
        {
            set.AddItem($"i{i}", SyntheticData.GaussianVector(random, d), SyntheticData.GaussianVector(random, f, 0.5));
        }

        var tastes = new[] { SyntheticData.GaussianVector(random, d, 1.5), SyntheticData.GaussianVector(random, d, 1.5) };
        for (int u = 0; u < 24; u++)
        {
            int user = set.AddUser($"u{u}");
            for (int k = 0; k < 30; k++)
            {
                int a = random.Next(30), b = (a + 1 + random.Next(29)) % 30;
                double margin = SyntheticData.Dot(tastes[u % 2], set.ItemContent[a]) - SyntheticData.Dot(tastes[u % 2], set.ItemContent[b]);
                bool aWins = random.NextDouble() < BayesianLogistic.Sigmoid(margin);
                set.AddPair(user, aWins ? a : b, aWins ? b : a);
            }
        }

        // act
        var full = new HybridTrainer(set, new HybridModelOptions { FactorDimension = f }, new TrainerOptions { Prototypes = 4, Parallelism = 2 });
        full.Train();
        var content = new HybridTrainer(set, new HybridModelOptions { FactorDimension = f }, new TrainerOptions { Prototypes = 4, Parallelism = 2, Collaborative = false });
        content.Train();

        // assert: the same content weights per user, and the collaborative part did learn something
        for (int u = 0; u < 24; u++)
        {
            for (int i = 0; i < d; i++)
            {
                Assert.Equal(content.UserSchemes[u][i], full.UserSchemes[u][i], tolerance: 1e-5);
            }
        }

        Assert.Contains(full.UserSchemes, s => s[d..].Any(p => Math.Abs(p) > 1e-3));
        Assert.Equal(content.PrototypeKappa, full.PrototypeKappa, tolerance: 1e-6);
    }
}

using PGenRM.Core.Model;
using PGenRM.Evaluation.Data;

namespace PGenRM.Evaluation.Protocols;

/// <summary>
/// One seeded split of a dataset under a protocol: the pairs the model trains on (seen users only), each seen
/// user's test pairs, and each unseen user's pairs that may be revealed (k of them) and its test pairs.
/// </summary>
public sealed class DataSplit
{
    private DataSplit(EvaluationProtocol protocol, SplitOptions options)
    {
        Protocol = protocol;
        Options = options;
    }

    /// <summary>The protocol.</summary>
    public EvaluationProtocol Protocol { get; }

    /// <summary>The options (seed included).</summary>
    public SplitOptions Options { get; }

    /// <summary>Pairs the model trains on: every seen user's train pairs.</summary>
    public List<PairJudgment> Train { get; } = [];

    /// <summary>Test pairs per evaluated seen user.</summary>
    public Dictionary<string, List<PairJudgment>> SeenTest { get; } = new(StringComparer.Ordinal);

    /// <summary>Train pairs per evaluated unseen user, in reveal order (k = 5 takes the first five).</summary>
    public Dictionary<string, List<PairJudgment>> UnseenTrain { get; } = new(StringComparer.Ordinal);

    /// <summary>Test pairs per evaluated unseen user.</summary>
    public Dictionary<string, List<PairJudgment>> UnseenTest { get; } = new(StringComparer.Ordinal);

    /// <summary>Held-out content units under new content (item ids for rating data, prompt ids for pair data); empty otherwise.</summary>
    public HashSet<string> TestContent { get; } = new(StringComparer.Ordinal);

    /// <summary>Splits <paramref name="dataset"/>; the same dataset, protocol and seed give the same split.</summary>
    public static DataSplit Create(PreferenceDataset dataset, EvaluationProtocol protocol, SplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var split = new DataSplit(protocol, options);
        bool ratingData = dataset.Ratings.Count > 0;
        if (options.UseSourceSplit && (ratingData || !dataset.Pairs.Any(p => IsSplit(p, "train")) || !dataset.Pairs.Any(p => IsSplit(p, "test"))))
        {
            throw new DatasetFormatException(
                $"{dataset.Name}: the file split needs pair rows whose split column is 'train' and rows whose split column is 'test'");
        }

        if (protocol == EvaluationProtocol.NewContent && !options.UseSourceSplit)
        {
            var units = ratingData
                ? dataset.Ratings.Select(r => r.ItemId).Distinct(StringComparer.Ordinal)
                : dataset.Pairs.Select(p => p.PromptId).Distinct(StringComparer.Ordinal);
            foreach (var unit in units.Order(StringComparer.Ordinal))
            {
                if (Uniform(options.Seed, "content|" + unit) < options.TestFraction)
                {
                    split.TestContent.Add(unit);
                }
            }
        }

        var ratingsByUser = dataset.Ratings.GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var pairsByUser = dataset.Pairs.GroupBy(p => p.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var user in dataset.UserIds.Order(StringComparer.Ordinal))
        {
            List<PairJudgment> train, test;
            int userSeed = StableHash.Seed(options.Seed, user);
            if (ratingData)
            {
                if (!ratingsByUser.TryGetValue(user, out var ratings))
                {
                    continue;
                }

                var (trainItems, testItems) = protocol == EvaluationProtocol.NewContent
                    ? (ratings.Select(r => r.ItemId).Where(i => !split.TestContent.Contains(i)).ToHashSet(StringComparer.Ordinal),
                       ratings.Select(r => r.ItemId).Where(split.TestContent.Contains).ToHashSet(StringComparer.Ordinal))
                    : SplitUserItems(ratings, options, userSeed);
                train = RatingPairing.ForUser(ratings, trainItems, CapOrNull(options.MaxTrainPairsPerUser), userSeed).ToList();
                test = RatingPairing.ForUser(ratings, testItems, CapOrNull(options.MaxTestPairsPerUser), userSeed + 1).ToList();
            }
            else
            {
                if (!pairsByUser.TryGetValue(user, out var pairs))
                {
                    continue;
                }

                if (options.UseSourceSplit)
                {
                    train = pairs.Where(p => IsSplit(p, "train")).ToList();
                    test = pairs.Where(p => IsSplit(p, "test")).ToList();
                }
                else if (protocol == EvaluationProtocol.NewContent)
                {
                    train = pairs.Where(p => !split.TestContent.Contains(p.PromptId)).ToList();
                    test = pairs.Where(p => split.TestContent.Contains(p.PromptId)).ToList();
                }
                else
                {
                    var shuffled = Shuffle(pairs, userSeed);
                    int testCount = (int)Math.Round(options.TestFraction * shuffled.Count);
                    test = shuffled.Take(testCount).ToList();
                    train = shuffled.Skip(testCount).ToList();
                }

                train = Cap(train, options.MaxTrainPairsPerUser, userSeed);
                test = Cap(test, options.MaxTestPairsPerUser, userSeed + 1);
            }

            bool unseen = Uniform(options.Seed, "user|" + user) < options.UnseenUserFraction;
            if (unseen)
            {
                if (train.Count >= options.MinTrainPairsUnseen && test.Count > 0)
                {
                    split.UnseenTrain[user] = Shuffle(train, userSeed + 2);
                    split.UnseenTest[user] = test;
                }

                continue;
            }

            // A seen user trains the model whatever its size; it is evaluated only with enough pairs.
            split.Train.AddRange(train);
            if (train.Count >= options.MinTrainPairsSeen && test.Count > 0)
            {
                split.SeenTest[user] = test;
            }
        }

        return split;
    }

    /// <summary>One line describing the split.</summary>
    public string Describe() =>
        $"{(Options.UseSourceSplit ? "file split" : Protocol.ToString())} seed {Options.Seed}: {Train.Count} train pairs, {SeenTest.Count} seen users ({SeenTest.Values.Sum(t => t.Count)} test pairs), " +
        $"{UnseenTest.Count} unseen users ({UnseenTest.Values.Sum(t => t.Count)} test pairs)";

    private static (HashSet<string> Train, HashSet<string> Test) SplitUserItems(List<RatingJudgment> ratings, SplitOptions options, int seed)
    {
        var items = Shuffle(ratings.Select(r => r.ItemId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), seed);
        int testCount = (int)Math.Round(options.TestFraction * items.Count);
        return (items.Skip(testCount).ToHashSet(StringComparer.Ordinal), items.Take(testCount).ToHashSet(StringComparer.Ordinal));
    }

    private static List<T> Shuffle<T>(IReadOnlyList<T> items, int seed)
    {
        var list = items.ToList();
        var random = new Random(seed);
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    private static List<PairJudgment> Cap(List<PairJudgment> pairs, int cap, int seed) =>
        cap <= 0 || pairs.Count <= cap ? pairs : Shuffle(pairs, seed).Take(cap).ToList();

    private static int? CapOrNull(int cap) => cap > 0 ? cap : null;

    private static bool IsSplit(PairJudgment pair, string name) => string.Equals(pair.SourceSplit?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>A uniform number in [0, 1) from a seed and a key, stable across processes.</summary>
    private static double Uniform(int seed, string key) => (uint)StableHash.Seed(seed, key) / (double)uint.MaxValue;
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Core.Model;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The packed user-state format: exact round trip, size within Orleans' table limit, and the precision cost.</summary>
public sealed class UserStatePackerTests
{
    /// <summary>Orleans' Azure table provider splits a payload over at most 15 properties of 64 KiB.</summary>

    private const int ContentDimension = 90, FactorDimension = 8, EmbeddingDimension = 384;
    private const int SchemeDimension = ContentDimension + FactorDimension + 1; // θ = [w; p; δ]

    private static readonly Serializer s_serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void PackUnpack_RoundTripsAStoredStateExactly()
    {
        var state = State(new Random(1), pairs: 7);

        byte[] packed = UserStatePacker.Pack(state, s_serializer);
        var back = UserStatePacker.Unpack(packed, s_serializer);

        Assert.Equal(UserStatePacker.FormatVersion, packed[0]);
        AssertSame(state, back);
        Assert.Equal(packed, UserStatePacker.Pack(back, s_serializer));
    }

    [Fact]
    public void Pack_AUserAfter10000Items_StaysWithin16KiB()
    {
        // The state as the grain stores it after 10,000 items at today's dimensions (72 features + 8 factors): no pairs
        // (the verbatim history lives in the log), 9,744 folded, a full recent window of GUID-sized ids.
        int size = UserStatePacker.Pack(GrainState(new Random(2), 72 + 8), s_serializer).Length;

        TestContext.Current.TestOutputHelper?.WriteLine($"packed user after 10,000 items, D = 80: {size} bytes");
        Assert.True(size <= 16 * 1024, $"{size} bytes");
    }

    [Fact]
    public void Pack_LargestSchemeDimensionWithin16KiB_Is82()
    {
        // The folded precision's triangle dominates (4·D(D+1)/2 bytes): D = 82 (74 features + 8 factors) is the most that
        // fits with the rest of the state (docs/STORAGE.md); D = 96 + 8 would need a smaller precision encoding.
        int largest = Enumerable.Range(60, 60).Last(d => UserStatePacker.Pack(GrainState(new Random(3), d), s_serializer).Length <= 16 * 1024);

        Assert.Equal(82, largest);
    }

    [Fact]
    public void Unpack_RejectsUnknownVersionsAndTruncatedData()
    {
        byte[] packed = UserStatePacker.Pack(State(new Random(3), pairs: 2), s_serializer);

        Assert.Throws<InvalidDataException>(() => UserStatePacker.Unpack("{\"$id\":\"1\"}"u8.ToArray(), s_serializer));
        Assert.Throws<InvalidDataException>(() => UserStatePacker.Unpack(packed.AsMemory(0, packed.Length - 5), s_serializer));
        Assert.Throws<InvalidDataException>(() => UserStatePacker.Unpack(ReadOnlyMemory<byte>.Empty, s_serializer));

        // A row of format 1 (before the feedback log) is refused with the reset instruction, never read as an empty user.
        var old = (byte[])packed.Clone();
        old[0] = 1;
        var e = Assert.Throws<InvalidDataException>(() => UserStatePacker.Unpack(old, s_serializer));
        Assert.Contains("reset the users table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PackPairs_RoundTripsBitForBit()
    {
        var pairs = State(new Random(5), pairs: 4).History;

        var back = UserStatePacker.UnpackPairs(UserStatePacker.PackPairs(pairs));

        AssertSame(new UserState { History = pairs }, new UserState { History = back });
        Assert.Throws<InvalidDataException>(() => UserStatePacker.UnpackPairs(UserStatePacker.PackPairs(pairs)[..^3]));
    }

    [Fact]
    public void StoredPrecision_ChangesTheFitAndTheQuerySimilarityOnlySlightly()
    {
        var random = new Random(4);
        var options = new HybridModelOptions { FactorDimension = FactorDimension };
        var prior = new DiagonalGaussian(new double[SchemeDimension], [.. Enumerable.Repeat(1.0, SchemeDimension)]);
        var exact = new UserModel(prior, options);
        var stored = new UserModel(prior, options);
        var truth = Vector(random, ContentDimension, 1);
        var pairs = new List<(PairEvidence Exact, PairEvidence Stored)>();
        for (int i = 0; i < 60; i++)
        {
            var evidence = Evidence(random, truth);
            pairs.Add((evidence, StoredPair.From($"f{i}", evidence, DateTimeOffset.UnixEpoch).ToEvidence()));
            exact.Add(evidence);
            stored.Add(pairs[^1].Stored);
        }

        double schemeNorm = Math.Sqrt(exact.Scheme.Sum(x => x * x));
        double schemeGap = Math.Sqrt(exact.Scheme.Zip(stored.Scheme, (a, b) => (a - b) * (a - b)).Sum());
        double cosineGap = 0;
        for (int i = 1; i < pairs.Count; i++)
        {
            cosineGap = Math.Max(cosineGap, Math.Abs(
                Cosine(pairs[0].Exact.QueryEmbedding, pairs[i].Exact.QueryEmbedding) - Cosine(pairs[0].Stored.QueryEmbedding, pairs[i].Stored.QueryEmbedding)));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"relative scheme change {schemeGap / schemeNorm:E2}; largest query-cosine change {cosineGap:E2}");
        Assert.True(schemeGap / schemeNorm < 1e-5, $"the fit moved by {schemeGap / schemeNorm:E2} of its norm");
        Assert.True(cosineGap < 3e-4, $"a query similarity moved by {cosineGap:E2}");
    }

    private static UserState GrainState(Random random, int dimension) => new()
    {
        FoldedMean = [.. Vector(random, dimension, 1).Select(x => (float)x)],
        FoldedPrecision = PackedSymmetric.Pack(Vector(random, dimension * dimension, 1), dimension),
        FoldedCount = 10_000 - 256,
        StatedPreference = [.. Vector(random, dimension - FactorDimension, 0.5).Select(UserStatePacker.RoundToSingle)],
        StatedPreferenceText = "Short answers with code, no preamble.",
        RecentFeedback = [.. Enumerable.Range(0, UserGrain.RecentWindow).Select(_ => Guid.NewGuid().ToString())],
        LogSequence = 10_000,
        HistoryFromSequence = 10_000 - 255,
        FeedbackCount = 10_000,
        JudgmentSketch = [.. Vector(random, JudgmentSketch.DefaultLength, 1).Select(x => (float)x)],
        Prototype = 4,
        ModelVersion = "minilm-l6-v2/features-72/factors-8",
        MembershipVersion = 17,
        ReportedScheme = [.. Vector(random, dimension, 1).Select(x => (float)x)],
        ReportSequence = 10_000L << 20,
    };

    private static UserState State(Random random, int pairs)
    {
        var truth = Vector(random, ContentDimension, 1);
        var state = new UserState
        {
            FoldedMean = [.. Vector(random, SchemeDimension, 1).Select(x => (float)x)],
            FoldedPrecision = [.. Vector(random, SchemeDimension * SchemeDimension, 1).Select(x => (float)x)],
            FoldedCount = 3,
            StatedPreference = [.. Vector(random, ContentDimension, 0.5).Select(UserStatePacker.RoundToSingle)],
            StatedPreferenceText = "Short answers with code, no preamble — ä",
            RecentFeedback = ["x", "y/z", "ü"],
            LogSequence = pairs + 3,
            FeedbackCount = pairs + 3,
            JudgmentSketch = [.. Vector(random, JudgmentSketch.DefaultLength, 1).Select(x => (float)x)],
            HistoryFromSequence = 2,
            HistorySkip = 1,
            Prototype = 4,
            ModelVersion = "compact-hybrid-bt/1 (test)",
        };
        for (int i = 0; i < pairs; i++)
        {
            var at = new DateTimeOffset(2026, 11, 26, 13, i % 60, 7, TimeSpan.FromHours(i % 3 - 1)).AddTicks(i * 12345);
            state.History.Add(StoredPair.From($"feedback-{i}", Evidence(random, truth) with { Weight = 1.0 / (i + 1) }, at));
        }

        return state;
    }

    private static PairEvidence Evidence(Random random, double[] truth)
    {
        var diff = Vector(random, ContentDimension, 0.7);
        double margin = diff.Zip(truth, (a, b) => a * b).Sum();
        if (margin < 0)
        {
            diff = [.. diff.Select(x => -x)];
        }

        var query = Vector(random, EmbeddingDimension, 1).Select(x => (float)x).ToArray();
        float norm = MathF.Sqrt(query.Sum(x => x * x));
        return new PairEvidence(
            $"item-{random.Next(1000)}",
            $"item-{random.Next(1000, 2000)}",
            diff,
            new ItemView(random.NextDouble() - 0.5, Vector(random, FactorDimension, 0.3)),
            new ItemView(random.NextDouble() - 0.5, Vector(random, FactorDimension, 0.3)),
            [.. query.Select(x => x / norm)]);
    }

    private static double[] Vector(Random random, int length, double scale) =>
        [.. Enumerable.Range(0, length).Select(_ => scale * (random.NextDouble() * 2 - 1))];

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    private static void AssertSame(UserState expected, UserState actual)
    {
        Assert.Equal(expected.History.Count, actual.History.Count);
        for (int i = 0; i < expected.History.Count; i++)
        {
            var (e, a) = (expected.History[i], actual.History[i]);
            Assert.Equal((e.FeedbackId, e.ChosenItemId, e.RejectedItemId), (a.FeedbackId, a.ChosenItemId, a.RejectedItemId));
            Assert.Equal(e.ContentDiff, a.ContentDiff);
            Assert.Equal((e.ChosenStrength, e.RejectedStrength, e.Weight), (a.ChosenStrength, a.RejectedStrength, a.Weight));
            Assert.Equal(e.ChosenFactor, a.ChosenFactor);
            Assert.Equal(e.RejectedFactor, a.RejectedFactor);
            Assert.Equal(e.QueryEmbedding, a.QueryEmbedding);
            Assert.True(e.At.EqualsExact(a.At), $"pair {i}: {e.At:o} came back as {a.At:o}");
        }

        Assert.Equal(expected.FoldedMean, actual.FoldedMean);
        Assert.Equal(expected.FoldedPrecision, actual.FoldedPrecision);
        Assert.Equal(expected.FoldedCount, actual.FoldedCount);
        Assert.Equal(expected.StatedPreference, actual.StatedPreference);
        Assert.Equal(expected.StatedPreferenceText, actual.StatedPreferenceText);
        Assert.Equal(expected.RecentFeedback, actual.RecentFeedback);
        Assert.Equal(expected.LogSequence, actual.LogSequence);
        Assert.Equal((expected.HistoryFromSequence, expected.HistorySkip), (actual.HistoryFromSequence, actual.HistorySkip));
        Assert.Equal(expected.FeedbackCount, actual.FeedbackCount);
        Assert.Equal(expected.JudgmentSketch, actual.JudgmentSketch);
        Assert.Equal(expected.Prototype, actual.Prototype);
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
    }
}

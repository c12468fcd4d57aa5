using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PGenRM.Grains.Abstractions;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The prototype's O(1) member statistics (<see cref="PrototypeMembers"/>), without a cluster.</summary>
public sealed class PrototypeMembersTests
{
    private const string Key = "t/0";
    private const int Dimension = 6;

    [Fact]
    public void Apply_JoinsUpdatesLeavesAndARetry_SumsEqualTheMembersContributions()
    {
        var random = new Random(3);
        var members = new PrototypeMembers(Key, Dimension);
        var held = new Dictionary<string, (float[] Scheme, int Pairs)>();
        var reports = new List<MembershipReport>();
        long id = 1;
        for (int u = 0; u < 40; u++)
        {
            var scheme = Vector(random);
            reports.Add(Join($"t/u{u}", scheme, u % 5, id++));
            held[$"t/u{u}"] = (scheme, u % 5);
        }

        for (int u = 0; u < 40; u += 3)
        {
            var scheme = Vector(random);
            reports.Add(Update($"t/u{u}", held[$"t/u{u}"], (scheme, 7), id++));
            held[$"t/u{u}"] = (scheme, 7);
        }

        for (int u = 1; u < 40; u += 4)
        {
            reports.Add(Leave($"t/u{u}", held[$"t/u{u}"], id++));
            held.Remove($"t/u{u}");
        }

        // Each user's reports arrive in order (its sender sends them one after another); the sums commute, so any
        // order gives the same sums.
        var shuffled = new PrototypeMembers(Key, Dimension);
        foreach (var report in reports)
        {
            Assert.True(members.Apply(report));
        }

        foreach (var report in reports.OrderBy(_ => random.Next()))
        {
            Assert.True(shuffled.Apply(report));
        }

        AssertSums(held.Values.ToList(), shuffled);

        // A retried report (same id) changes nothing.
        long version = members.Version;
        Assert.False(members.Apply(reports[5]));
        Assert.False(members.Apply(reports[^1]));
        Assert.Equal(version, members.Version);

        AssertSums(held.Values.ToList(), members);
        Assert.Equal(40, members.Joins);
        Assert.Equal(10, members.Leaves);
        Assert.Equal(reports.Count, members.Reports);
        var summary = members.Summary(0);
        Assert.Equal(held.Count, summary.Members);
        Assert.Equal(held.Values.Average(h => h.Pairs), summary.MeanPairCount, 12);
        var reservoir = members.Reservoir();
        Assert.Equal(held.Keys.Order(), reservoir.Select(m => m.UserKey).Order()); // fewer than 256: it holds them all
    }

    [Fact]
    public void Pack_IsTheSameSizeWith10And10000Members_AndLoadsBackExactly()
    {
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(PrototypeState).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        var storage = new PGenRMGrainStorageSerializer(serializer);
        var small = Filled(10);
        var large = Filled(10_000);
        var smallBytes = storage.Serialize(new PrototypeState { Format = PrototypeMembers.Format, Packed = small.Pack() }).ToArray();
        var largeBytes = storage.Serialize(new PrototypeState { Format = PrototypeMembers.Format, Packed = large.Pack() }).ToArray();
        Assert.Equal(smallBytes.Length, largeBytes.Length);
        Assert.Equal(PrototypeMembers.PackedLength(Dimension), large.Pack().Length);

        var loaded = PrototypeMembers.Load(storage.Deserialize<PrototypeState>(new BinaryData(largeBytes))!, true, Key, Dimension);
        Assert.Equal(large.Pack(), loaded.Pack());
        Assert.Equal(large.Reservoir().Select(m => m.CollaborativeCriteria), loaded.Reservoir().Select(m => m.CollaborativeCriteria));
        Assert.Contains(loaded.Reservoir(), m => m.CollaborativeCriteria is { Length: 9 });
        Assert.Contains(loaded.Reservoir(), m => m.CollaborativeCriteria is { Length: 0 });
        Assert.Equal(10_000, loaded.Count);
        Assert.Equal(PrototypeMembers.ReservoirCapacity, loaded.Sampled);
        Assert.True(loaded.Seen(10_000) && !loaded.Seen(1)); // the last 1,024 ids only
        var expected = large.Summary(3);
        var actual = loaded.Summary(3);
        Assert.Equal(expected, actual with { Centroid = expected.Centroid });
        Assert.Equal(expected.Centroid, actual.Centroid);
    }

    [Fact]
    public void Load_AStateOfTheMemberListFormat_IsRefusedNotReadAsEmpty()
    {
        var e = Assert.Throws<InvalidDataException>(() => PrototypeMembers.Load(new PrototypeState(), recordExists: true, Key, Dimension));
        Assert.Contains("format 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("docs/STORAGE.md", e.Message, StringComparison.Ordinal);
        var other = new PrototypeState { Format = PrototypeMembers.Format, Packed = new PrototypeMembers(Key, Dimension + 1).Pack() };
        Assert.Throws<InvalidDataException>(() => PrototypeMembers.Load(other, recordExists: true, Key, Dimension));
        Assert.Equal(0, PrototypeMembers.Load(new PrototypeState(), recordExists: false, Key, Dimension).Count);
    }

    [Fact]
    public void Validate_NamesWhatIsWrong()
    {
        var members = new PrototypeMembers(Key, Dimension);
        var ok = Join("t/a", new float[Dimension], 1, 9);
        Assert.Null(members.Validate(ok, "t"));
        Assert.Contains("not a user of tenant", members.Validate(ok with { UserKey = "other/a" }, "t"), StringComparison.Ordinal);
        Assert.Contains("id", members.Validate(ok with { Id = 0 }, "t"), StringComparison.Ordinal);
        Assert.Contains("scheme delta", members.Validate(ok with { SchemeDelta = new float[Dimension - 1] }, "t"), StringComparison.Ordinal);
        Assert.Contains("snapshot", members.Validate(ok with { CountDelta = -1 }, "t"), StringComparison.Ordinal);
        Assert.Contains("sketch", members.Validate(ok with { Snapshot = ok.Snapshot! with { Sketch = [1, 2] } }, "t"), StringComparison.Ordinal);
        Assert.Contains("collaborative criteria", members.Validate(ok with { Snapshot = ok.Snapshot! with { CollaborativeCriteria = [-1, float.NaN] } }, "t"), StringComparison.Ordinal);
        Assert.Contains("collaborative criteria", members.Validate(ok with { Snapshot = ok.Snapshot! with { CollaborativeCriteria = new float[PrototypeMembers.CriteriaCapacity + 1] } }, "t"), StringComparison.Ordinal);
        Assert.Null(members.Validate(ok with { Snapshot = ok.Snapshot! with { CollaborativeCriteria = new float[9] } }, "t"));
    }

    /// <summary>Asserts the running sums equal the sums over <paramref name="held"/> (float tolerance) and the count is exact.</summary>
    internal static void AssertSums(IReadOnlyList<(float[] Scheme, int Pairs)> held, PrototypeMembers members)
    {
        Assert.Equal(held.Count, members.Count);
        Assert.Equal(held.Sum(h => (long)h.Pairs), members.SumPairs);
        for (int i = 0; i < members.Dimension; i++)
        {
            Assert.Equal(held.Sum(h => (double)h.Scheme[i]), members.Sum[i], 4);
        }

        Assert.Equal(held.Sum(h => h.Scheme.Sum(x => (double)x * x)), members.SumSquares, 4);
    }

    private static PrototypeMembers Filled(int count)
    {
        var random = new Random(count);
        var members = new PrototypeMembers(Key, Dimension);
        for (int u = 1; u <= count; u++)
        {
            // Keys of the longest length a tenant "t" allows, so that 10 members cannot be smaller by shorter keys.
            // Every other member reports its collaborative criteria (nine scales), the rest none yet.
            var join = Join($"t/{u.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)}{new string('x', 250)}", Vector(random), u, u);
            float[] criteria = u % 2 == 0 ? [] : Enumerable.Range(0, 9).Select(_ => (float)(-100 * random.NextDouble())).ToArray();
            Assert.True(members.Apply(join with { Snapshot = join.Snapshot! with { CollaborativeCriteria = criteria } }));
        }

        return members;
    }

    private static float[] Vector(Random random) => Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static double Squares(float[] x) => x.Sum(v => (double)v * v);

    internal static MembershipReport Join(string user, float[] scheme, int pairs, long id) =>
        new(id, user, 1, scheme, Squares(scheme), pairs, new MemberSnapshot(user, scheme, [], pairs, id));

    private static MembershipReport Update(string user, (float[] Scheme, int Pairs) old, (float[] Scheme, int Pairs) now, long id) =>
        new(id, user, 0, now.Scheme.Zip(old.Scheme, (a, b) => a - b).ToArray(), Squares(now.Scheme) - Squares(old.Scheme), now.Pairs - old.Pairs, new MemberSnapshot(user, now.Scheme, [], now.Pairs, id));

    private static MembershipReport Leave(string user, (float[] Scheme, int Pairs) old, long id) =>
        new(id, user, -1, old.Scheme.Select(x => -x).ToArray(), -Squares(old.Scheme), -old.Pairs, null);
}

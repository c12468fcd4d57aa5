using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The prototype's member writes on a fake store that another writer changes behind the activation's back.</summary>
public sealed class PrototypeMembersTests
{
    private const string Key = "t/0";

    [Fact]
    public async Task Upsert_AfterAnotherWriterAddedAMember_KeepsBothAndTheSumsCountBoth()
    {
        var state = await StateCopies.StoredAsync(new PrototypeState());
        var members = new PrototypeMembers(state, Key);
        Assert.True(await members.UpsertAsync(Member("a", 1f, 1, pairs: 1), TestContext.Current.CancellationToken));

        // Another activation stored member b since this one read.
        state.WriteBehindTheBack(WithMember(state.State, Member("b", 3f, 1, pairs: 3)));

        Assert.True(await members.UpsertAsync(Member("c", 5f, 1, pairs: 2), TestContext.Current.CancellationToken));

        var summary = members.Summary(0);
        Assert.Equal(3, summary.Members);
        Assert.All(summary.Centroid, x => Assert.Equal(3f, x)); // (1 + 3 + 5) / 3: the re-read sums, not the stale ones
        Assert.Equal(2, summary.MeanPairCount);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["t/a", "t/b", "t/c"], state.State.Members.Keys.Order());
        Assert.Equal(3, state.State.Joined);
        Assert.Equal(["t/a", "t/b", "t/c"], state.State.Reservoir.Select(r => r.UserKey).Order());
    }

    [Fact]
    public async Task Upsert_WritesNothingWhenTheFreshStateHoldsTheSameSequence()
    {
        var state = await StateCopies.StoredAsync(new PrototypeState());
        var members = new PrototypeMembers(state, Key);
        Assert.True(await members.UpsertAsync(Member("a", 1f, 1, pairs: 1), TestContext.Current.CancellationToken));

        // Another activation already stored a's snapshot 2 (a different scheme, as a newer member would send).
        state.WriteBehindTheBack(WithMember(state.State, Member("a", 7f, 2, pairs: 1)));
        int writes = state.Writes;

        Assert.False(await members.UpsertAsync(Member("a", 2f, 2, pairs: 1), TestContext.Current.CancellationToken));

        Assert.Equal(writes + 1, state.Writes); // the conflicting write only
        var summary = members.Summary(0);
        Assert.Equal(1, summary.Members);
        Assert.All(summary.Centroid, x => Assert.Equal(7f, x)); // what is stored, not this call's snapshot
        Assert.Equal(2, state.State.Members["t/a"].Sequence);
    }

    [Fact]
    public async Task Remove_AfterAnotherWriterAddedAMember_RemovesOnlyTheMember()
    {
        var state = await StateCopies.StoredAsync(new PrototypeState());
        var members = new PrototypeMembers(state, Key);
        Assert.True(await members.UpsertAsync(Member("a", 1f, 1, pairs: 1), TestContext.Current.CancellationToken));
        state.WriteBehindTheBack(WithMember(state.State, Member("b", 3f, 4, pairs: 4)));

        Assert.True(await members.RemoveAsync("t/a", TestContext.Current.CancellationToken));
        Assert.False(await members.RemoveAsync("t/a", TestContext.Current.CancellationToken));

        var summary = members.Summary(0);
        Assert.Equal(1, summary.Members);
        Assert.All(summary.Centroid, x => Assert.Equal(3f, x));
        Assert.Equal(4, summary.MeanPairCount);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["t/b"], state.State.Members.Keys);
        Assert.Equal(["t/b"], state.State.Reservoir.Select(r => r.UserKey));
    }

    /// <summary>A member of tenant "t" whose scheme is <paramref name="value"/> in every coordinate.</summary>
    private static MemberSnapshot Member(string user, float value, long sequence, int pairs) =>
        new("t/" + user, [value, value, value], [value], pairs, sequence);

    /// <summary>What another writer stores: <paramref name="stored"/> plus <paramref name="member"/>, applied by a second activation.</summary>
    private static PrototypeState WithMember(PrototypeState stored, MemberSnapshot member)
    {
        var other = StateCopies.Copy(stored);
        other.Members.TryGetValue(member.UserKey, out var existing);
        if (existing is null)
        {
            other.Joined++;
        }

        other.Members[member.UserKey] = new StoredMember { Sequence = member.Sequence, Scheme = FloatBytes.Pack(member.Scheme), PairCount = member.PairCount };
        other.Reservoir.RemoveAll(r => r.UserKey == member.UserKey);
        other.Reservoir.Add(StoredSnapshot.From(member));
        other.Version++;
        return other;
    }
}

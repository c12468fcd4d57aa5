using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// The user's membership protocol (<see cref="UserMembership"/>) without a cluster: prototypes are real
/// <see cref="PrototypeMembers"/>, the user's storage is a copy of its state taken at each "write", and a crash is the
/// loss of everything not in that copy.
/// </summary>
public sealed class UserMembershipTests
{
    private const int Dimension = 4;
    private const string User = "t/u";
    private static readonly PrototypeDirectory Directory = new(3, [[1, 0, 0, 0], [0, 1, 0, 0]], [10, 10]);

    [Fact]
    public void CrashBetweenAnyTwoSteps_TheNextCallFinishes_AndTheUserIsCountedInExactlyOnePrototype()
    {
        var prototypes = new[] { new PrototypeMembers("t/0", Dimension), new PrototypeMembers("t/1", Dimension) };
        var membership = new UserMembership(User);
        var live = new UserState();
        long ids = 100;

        // Join: the report is stored with the state, sent and applied; the activation dies before the confirmation is stored.
        float[] near0 = [0.9f, 0.1f, 0, 0];
        Assert.True(membership.Update(live, near0, 2, Directory, updated: true, _ => near0, () => ++ids));
        Assert.Equal(0, live.Prototype);
        var stored = Copy(live);
        Assert.True(Send(prototypes, live.Outbox[0]));
        live = Copy(stored); // crash: the confirmation is lost

        // The next call re-sends the stored report: a duplicate, confirmed, dropped.
        Assert.False(Send(prototypes, live.Outbox[0]));
        Assert.True(UserMembership.Confirm(live, new HashSet<long> { live.Outbox[0].Id }));
        Assert.Empty(live.Outbox);
        AssertCounted(prototypes, 0, near0, 2);

        // A move: leave 0 and join 1, stored; only the leave reaches its prototype before the crash.
        float[] near1 = [0.1f, 0.9f, 0.2f, 0];
        Assert.True(membership.Update(live, near1, 3, Directory, updated: true, _ => near1, () => ++ids));
        Assert.Equal(1, live.Prototype);
        Assert.Equal([-1, 1], live.Outbox.Select(r => r.CountDelta));
        stored = Copy(live);
        Assert.True(Send(prototypes, live.Outbox[0]));
        Assert.Equal(0, prototypes[0].Count);
        Assert.Equal(0, prototypes[1].Count); // mid-move: in neither for a moment, never in both
        live = Copy(stored);

        // The next call finishes it: the leave is a duplicate, the join applies.
        var confirmed = new HashSet<long>();
        foreach (var report in live.Outbox)
        {
            Send(prototypes, report);
            confirmed.Add(report.Id);
        }

        UserMembership.Confirm(live, confirmed);
        Assert.Empty(live.Outbox);
        AssertCounted(prototypes, 1, near1, 3);

        // An update report made in memory and lost before any write: never sent, so nothing to undo; the next one
        // starts from the stored contribution.
        stored = Copy(live);
        float[] drift = [0.1f, 0.9f, -0.5f, 0.3f];
        membership.Update(live, drift, 4, Directory, updated: true, _ => drift, () => ++ids);
        Assert.Single(live.Outbox);
        live = Copy(stored);
        float[] later = [0.2f, 0.8f, -0.6f, 0.4f];
        membership.Update(live, later, 5, Directory, updated: true, _ => later, () => ++ids);
        var update = Assert.Single(live.Outbox);
        Assert.Equal(0, update.CountDelta);
        Assert.True(Send(prototypes, update));
        AssertCounted(prototypes, 1, later, 5);

        // Leaving (the user is deleted) leaves nothing behind.
        UserMembership.Confirm(live, new HashSet<long> { update.Id });
        Assert.True(membership.LeaveAll(live, () => ++ids));
        Send(prototypes, Assert.Single(live.Outbox));
        Assert.Equal(0, prototypes[0].Count + prototypes[1].Count);
        Assert.All(prototypes, p => Assert.All(p.Sum.ToArray(), x => Assert.Equal(0, x, 5)));
    }

    [Fact]
    public void Rejoin_AfterAReset_CountsTheUserOnce_EvenWhenRepeated()
    {
        var membership = new UserMembership(User);
        var s = new UserState();
        long ids = 0;
        float[] scheme = [0.9f, 0.1f, 0, 0];
        membership.Update(s, scheme, 2, Directory, updated: true, _ => scheme, () => ++ids);
        var reset = new PrototypeMembers("t/0", Dimension);

        Assert.True(membership.Rejoin(s, scheme, 2));
        var first = Assert.Single(s.Outbox);
        Assert.True(reset.Apply(first.ToReport(User, new MemberSnapshot(User, scheme, [], 2, first.Sequence))));
        Assert.True(membership.Rejoin(s, scheme, 2));
        var second = Assert.Single(s.Outbox);
        Assert.Equal(first.Id, second.Id);
        Assert.False(reset.Apply(second.ToReport(User, new MemberSnapshot(User, scheme, [], 2, second.Sequence))));
        Assert.Equal(1, reset.Count);
        Assert.False(membership.Rejoin(new UserState(), scheme, 2)); // a member of nothing has nothing to re-join
    }

    [Fact]
    public void Place_IsTheNearestCentroid_NotTheLargest_AndTiesSpreadByUserKey()
    {
        var directory = new PrototypeDirectory(2, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [1_000_000, 1, 1]);
        Assert.Equal(2, UserMembership.Place(directory, [0.1f, 0, 1, 0], "t/a"));
        Assert.Equal(1, UserMembership.Place(directory, [0.2f, 0.9f, 0, 0], "t/b"));

        // No direction (equally near to all): a stable hash of the key picks, so new users spread over all three.
        var picks = Enumerable.Range(0, 60).Select(u => UserMembership.Place(directory, new float[Dimension], $"t/user{u}")).ToList();
        Assert.Equal([0, 1, 2], picks.Distinct().Order());
        Assert.Equal(picks, Enumerable.Range(0, 60).Select(u => UserMembership.Place(directory, new float[Dimension], $"t/user{u}")));
    }

    [Fact]
    public void Update_ReportsOnlyWhenTheSchemeMovedOrEveryEighthFeedback()
    {
        var membership = new UserMembership(User);
        var s = new UserState();
        long ids = 0;
        float[] scheme = [0.9f, 0.1f, 0, 0];
        membership.Update(s, scheme, 1, Directory, updated: true, _ => scheme, () => ++ids);
        s.Outbox.Clear();
        for (int i = 1; i < UserMembership.ReportEveryFeedback; i++)
        {
            Assert.False(membership.Update(s, scheme, 1 + i, Directory, updated: true, _ => scheme, () => ++ids));
            Assert.Empty(s.Outbox);
        }

        membership.Update(s, scheme, 9, Directory, updated: true, _ => scheme, () => ++ids);
        var eighth = Assert.Single(s.Outbox);

        // One change at a time: while it is unconfirmed, a turned scheme waits; once confirmed, it is reported.
        float[] turned = [0.6f, 0.2f, 0.5f, 0];
        membership.Update(s, turned, 10, Directory, updated: true, _ => turned, () => ++ids);
        Assert.Equal([eighth], s.Outbox);
        UserMembership.Confirm(s, new HashSet<long> { eighth.Id });
        membership.Update(s, turned, 11, Directory, updated: true, _ => turned, () => ++ids);
        Assert.Equal(0, Assert.Single(s.Outbox).CountDelta);
        Assert.Equal(0, s.Prototype); // moved in direction, not past the margin towards prototype 1
        Assert.True(s.Outbox.Count <= UserMembership.MaxOutbox);
    }

    private static bool Send(PrototypeMembers[] prototypes, PendingReport report) =>
        prototypes[report.Prototype].Apply(report.ToReport(User, report.CountDelta < 0 ? null : new MemberSnapshot(User, new float[Dimension], [], 0, report.Sequence)));

    private static void AssertCounted(PrototypeMembers[] prototypes, int index, float[] scheme, int pairs)
    {
        for (int p = 0; p < prototypes.Length; p++)
        {
            PrototypeMembersTests.AssertSums(p == index ? [(scheme, pairs)] : [], prototypes[p]);
        }
    }

    private static UserState Copy(UserState s) => new()
    {
        Prototype = s.Prototype,
        MembershipVersion = s.MembershipVersion,
        ReportedScheme = (float[])s.ReportedScheme.Clone(),
        ReportedPairs = s.ReportedPairs,
        ReportSequence = s.ReportSequence,
        FeedbackSinceReport = s.FeedbackSinceReport,
        LogSequence = s.LogSequence,
        Outbox = [.. s.Outbox],
    };
}

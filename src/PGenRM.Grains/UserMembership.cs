using System.Numerics.Tensors;
using PGenRM.Core.Clustering;
using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// A user's prototype membership protocol, on the membership fields of its <see cref="UserState"/>: placement on the
/// first update, the nearest-prototype check with hysteresis after every update, and the reports that keep the
/// prototypes' running sums equal to the sum of their members' contributions without a member list.
/// </summary>
/// <remarks>
/// <para>A user with no data is a member of nothing. Its first update joins the prototype whose centroid is nearest
/// (cosine) to its scheme (fitted under the population prior); ties go by a stable hash of the user key.</para>
/// <para>Protocol: every change is a <see cref="PendingReport"/> put in <see cref="UserState.Outbox"/> together with
/// the new <see cref="UserState.ReportedScheme"/> (the contribution the prototype will hold). A move is two reports: a
/// leave of the old prototype (minus the reported contribution) and a join of the new one. The grain stores the state
/// before it sends a report, re-sends unconfirmed reports, and drops a report only once its prototype confirmed it
/// (<see cref="Confirm"/>). Prototypes apply a report id once, and sums commute, so a crash between any two steps
/// leaves a state that the next call finishes, and once the outbox is empty the user is counted in exactly one
/// prototype with exactly its reported contribution.</para>
/// <para>Not a grain: unit-tested without a cluster; <see cref="UserGrain"/> is the glue (storage, calls).</para>
/// </remarks>
internal sealed class UserMembership(string userKey)
{
    /// <summary>Relative hysteresis margin of the nearest-prototype check (cosine distance): another prototype must be 10% closer.</summary>
    public const float MoveMargin = 0.1f;

    /// <summary>Cosine change of the scheme since the last report that makes a report due.</summary>
    public const double ReportCosineChange = 0.02;

    /// <summary>A report is due after this many feedback items even if the scheme barely moved (keeps pair counts fresh).</summary>
    public const int ReportEveryFeedback = 8;

    /// <summary>
    /// Most unconfirmed reports: one change at a time (a move is two reports). While one is unconfirmed, the next report
    /// or move waits for the next update, which bounds the outbox's share of the stored state (≈ 350 bytes a report)
    /// and keeps a folded user within 16 KiB.
    /// </summary>
    public const int MaxOutbox = 2;

    /// <summary>The user's grain key.</summary>
    public string UserKey { get; } = userKey;

    /// <summary>
    /// Acts on an update of the user's scheme (<paramref name="updated"/>: feedback or a stated preference) or on a new
    /// directory version: places, re-checks, and puts the reports that are due in the outbox (memory only).
    /// <paramref name="setPrior"/> switches the user's prior to the centroid of the given prototype and returns the scheme
    /// refitted under it. Returns whether a join or move was created (the caller stores the state at once); an update
    /// report is made only when <paramref name="writing"/>.
    /// </summary>
    /// <param name="s">The user's state.</param>
    /// <param name="scheme">The current scheme.</param>
    /// <param name="pairs">Pairs behind it.</param>
    /// <param name="directory">The tenant's directory.</param>
    /// <param name="updated">Whether the scheme just changed.</param>
    /// <param name="setPrior">Switches the prior to a prototype's centroid; returns the refitted scheme.</param>
    /// <param name="newId">A new, unique, non-zero report id.</param>
    /// <param name="writing">Whether the state is stored right after this step: an update report is only made then, so that
    /// the outbox holds no report that was never stored (it would hold back the next change for nothing).</param>
    /// <param name="placeAt">Where a user with no membership joins when the caller placed it already (<see cref="Place"/> on
    /// its scheme fitted under the population prior); null: placed by <paramref name="scheme"/>.</param>
    public bool Update(UserState s, float[] scheme, int pairs, PrototypeDirectory directory, bool updated, Func<int, float[]> setPrior, Func<long> newId, bool writing = true, int? placeAt = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(directory);
        bool newVersion = directory.Version != s.MembershipVersion;
        if (s.Prototype is not int from)
        {
            if (!updated)
            {
                return false;
            }

            int to = placeAt is int at && at < directory.Centroids.Count ? at : Place(directory, scheme, UserKey);
            s.Prototype = to;
            s.MembershipVersion = directory.Version;
            scheme = setPrior(to);
            Join(s, to, scheme, pairs, newId());
            return true;
        }

        if (!updated && !newVersion)
        {
            return false;
        }

        if (s.Outbox.Count > 0)
        {
            // The last change is not confirmed yet: decide again on the next update (the counter keeps a report due).
            s.FeedbackSinceReport += updated ? 1 : 0;
            return false;
        }

        int target = Recheck(directory, from, scheme, UserKey);
        if (target != from || newVersion)
        {
            s.Prototype = target;
            s.MembershipVersion = directory.Version;
            scheme = setPrior(target);
        }

        if (target != from)
        {
            Leave(s, from, newId());
            Join(s, target, scheme, pairs, newId());
            return true;
        }

        if (updated)
        {
            s.FeedbackSinceReport++;
        }

        if (writing && Due(s, scheme))
        {
            Report(s, target, scheme, pairs, newId());
        }

        return false;
    }

    /// <summary>
    /// Puts an update report in the outbox when one is due and none is pending: a flush catches up on the report that
    /// was held back while the previous one was unconfirmed (the prototype applies reports at its own write pace, so
    /// fast feedback can outrun it). The caller stores the state before the report leaves. True when one was created.
    /// </summary>
    public static bool ReportIfDue(UserState s, float[] scheme, int pairs, Func<long> newId)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(newId);
        if (s.Prototype is not int prototype || s.Outbox.Count > 0 || !Due(s, scheme))
        {
            return false;
        }

        Report(s, prototype, scheme, pairs, newId());
        return true;
    }

    /// <summary>Whether an update report is due: the scheme moved, or enough feedback arrived since the last one.</summary>
    private static bool Due(UserState s, float[] scheme) =>
        CosineChange(scheme, s.ReportedScheme) > ReportCosineChange || s.FeedbackSinceReport >= ReportEveryFeedback;

    /// <summary>
    /// Re-joins the current prototype with the current contribution, as after a reset of the prototypes (the rebuild):
    /// the outbox is dropped (its reports changed sums that no longer exist). The id is derived from the state, so a
    /// repeated replay is a duplicate. False when the user is a member of nothing.
    /// </summary>
    public bool Rejoin(UserState s, float[] scheme, int pairs)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Prototype is not int prototype)
        {
            return false;
        }

        // What the prototype held for this user is its last reported contribution (the outbox's reports included: each
        // moved ReportedScheme when it was queued), so the rebuilt sums equal the live ones; a user that never reported
        // joins with its scheme now.
        bool reported = s.ReportedScheme.Length == scheme.Length;
        var contribution = reported ? (float[])s.ReportedScheme.Clone() : scheme;
        int contributedPairs = reported ? s.ReportedPairs : pairs;
        s.Outbox.Clear();
        long id = ((long)Core.Model.StableHash.Of($"{UserKey}#replay") << 32) | (uint)Core.Model.StableHash.Of($"{s.LogSequence}/{prototype}/{s.MembershipVersion}");
        Join(s, prototype, contribution, contributedPairs, id == 0 ? 1 : id);
        return true;
    }

    /// <summary>Puts the leave of the user's prototype in the outbox (before the user is deleted); false when it is a member of nothing.</summary>
    public bool LeaveAll(UserState s, Func<long> newId)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Prototype is not int prototype || s.ReportedScheme.Length == 0)
        {
            return false;
        }

        Leave(s, prototype, newId());
        s.Prototype = null;
        return true;
    }

    /// <summary>Drops the reports whose ids are in <paramref name="confirmed"/> from the outbox; true when any was dropped.</summary>
    public static bool Confirm(UserState s, IReadOnlySet<long> confirmed)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(confirmed);
        return confirmed.Count > 0 && s.Outbox.RemoveAll(r => confirmed.Contains(r.Id)) > 0;
    }

    /// <summary>
    /// The prototype a user with no membership joins: the centroid nearest (cosine) to its scheme; among centroids equally
    /// near (a scheme or centroids at zero, e.g. the version-0 directory's), the one a stable hash of the user key picks,
    /// so that new users spread instead of all joining the largest prototype.
    /// </summary>
    public static int Place(PrototypeDirectory directory, ReadOnlySpan<float> scheme, string userKey)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var centroids = directory.Centroids;
        if (centroids.Count <= 1)
        {
            return 0;
        }

        var similarity = new double[centroids.Count];
        for (int c = 0; c < centroids.Count; c++)
        {
            similarity[c] = VectorSimilarity.Cosine(scheme, centroids[c]);
        }

        double best = similarity.Max();
        var tied = Enumerable.Range(0, centroids.Count).Where(c => best - similarity[c] <= 1e-9).ToArray();
        return tied[(int)((uint)Core.Model.StableHash.Of(userKey) % (uint)tied.Length)];
    }

    /// <summary>The prototype a member should be in after an update: its own unless another is closer by <see cref="MoveMargin"/>.</summary>
    public static int Recheck(PrototypeDirectory directory, int current, float[] scheme, string userKey)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (current >= directory.Centroids.Count)
        {
            // Its prototype is gone (a smaller k): placed anew.
            return Place(directory, scheme, userKey);
        }

        if (TensorPrimitives.Norm(scheme) == 0 || TensorPrimitives.Norm(directory.Centroids[current]) == 0)
        {
            return current;
        }

        return CentroidAssignment.Reassign(current, scheme, directory.Centroids, MoveMargin, DistanceMetric.Cosine);
    }

    /// <summary>1 − cosine between the scheme and the last reported one (∞ when nothing was reported).</summary>
    public static double CosineChange(float[] scheme, float[] reported)
    {
        if (reported.Length != scheme.Length)
        {
            return double.PositiveInfinity;
        }

        // Two zero schemes have not changed; a zero and a non-zero one have (cosine 0 would also say so for one of them).
        float a = TensorPrimitives.Norm(scheme), b = TensorPrimitives.Norm(reported);
        return a == 0 || b == 0 ? (a == b ? 0 : 1) : 1 - VectorSimilarity.Cosine(scheme, reported);
    }

    private static void Join(UserState s, int prototype, float[] scheme, int pairs, long id)
    {
        Add(s, prototype, +1, scheme, SquaredNorm(scheme), pairs, id);
        s.ReportedScheme = (float[])scheme.Clone();
        s.ReportedPairs = pairs;
        s.FeedbackSinceReport = 0;
    }

    private static void Leave(UserState s, int prototype, long id)
    {
        var old = s.ReportedScheme;
        Add(s, prototype, -1, Array.ConvertAll(old, x => -x), -SquaredNorm(old), -s.ReportedPairs, id);
        s.ReportedScheme = [];
        s.ReportedPairs = 0;
    }

    private static void Report(UserState s, int prototype, float[] scheme, int pairs, long id)
    {
        var old = s.ReportedScheme.Length == scheme.Length ? s.ReportedScheme : new float[scheme.Length];
        var delta = new float[scheme.Length];
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = scheme[i] - old[i];
        }

        Add(s, prototype, 0, delta, SquaredNorm(scheme) - SquaredNorm(old), pairs - s.ReportedPairs, id);
        s.ReportedScheme = (float[])scheme.Clone();
        s.ReportedPairs = pairs;
        s.FeedbackSinceReport = 0;
    }

    private static void Add(UserState s, int prototype, int count, float[] delta, double squares, int pairs, long id)
    {
        s.ReportSequence++;
        s.Outbox.Add(new PendingReport
        {
            Id = id,
            Prototype = prototype,
            CountDelta = count,
            SchemeDelta = FloatBytes.Pack(delta),
            SquaredNormDelta = squares,
            PairsDelta = pairs,
            Sequence = s.ReportSequence,
        });
    }

    private static double SquaredNorm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return sum;
    }
}

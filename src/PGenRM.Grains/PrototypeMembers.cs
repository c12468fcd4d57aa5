using System.Buffers.Binary;
using System.Text;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>
/// A prototype's member statistics, O(1) in its members: the count, Σθ, Σ‖θ‖², Σ pairs, churn counters (joins, leaves,
/// reports), the ids of the last <see cref="RecentReportCapacity"/> reports applied (a retried report is not counted
/// twice) and a reservoir of <see cref="ReservoirCapacity"/> member snapshots (Algorithm R over joins; a member already
/// sampled replaces its own entry). No member list: each user keeps its last reported contribution and sends the
/// difference (<see cref="MembershipReport"/>). <see cref="Pack"/> writes a fixed-size layout, so the stored size is the
/// same with 10 members and with 10 million.
/// </summary>
/// <remarks>Not a grain, so that it is unit-tested without a cluster. Sums are commutative: reports may arrive in any order.</remarks>
internal sealed class PrototypeMembers
{
    /// <summary>The layout version <see cref="PrototypeState.Format"/> holds for this layout.</summary>
    public const int Format = 3;

    /// <summary>Reservoir capacity: the sample neighbour search and re-clustering see.</summary>
    public const int ReservoirCapacity = 256;

    /// <summary>Report ids remembered for idempotency (a retry older than this many later reports would count again).</summary>
    public const int RecentReportCapacity = 1024;

    /// <summary>Length of the judgment sketch a snapshot may carry (or none).</summary>
    public const int SketchLength = Core.Model.JudgmentSketch.DefaultLength;

    /// <summary>Most collaborative criteria a snapshot may carry (one per prior scale of the model's grid).</summary>
    public const int CriteriaCapacity = 16;

    /// <summary>Bytes reserved per user key in a slot: the longest key "{tenant}/{user}" in UTF-8.</summary>
    public const int KeyBytes = GrainKeys.MaxTenantLength + 1 + (3 * GrainKeys.MaxEntityLength);

    private readonly string _key;
    private readonly Slot?[] _slots = new Slot?[ReservoirCapacity];
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly long[] _recent = new long[RecentReportCapacity];
    private readonly HashSet<long> _recentSet = [];
    private int _recentNext;
    private double[] _sum;
    private double _sumSquares;
    private Random _random;

    /// <summary>Empty statistics of prototype <paramref name="key"/> for schemes of <paramref name="dimension"/> values.</summary>
    public PrototypeMembers(string key, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _key = key;
        _sum = new double[dimension];
        _random = new Random(Core.Model.StableHash.Seed(0, key));
    }

    /// <summary>Scheme length.</summary>
    public int Dimension => _sum.Length;

    /// <summary>Members now (joins − leaves applied).</summary>
    public long Count { get; private set; }

    /// <summary>Members that ever joined (Algorithm R's stream length).</summary>
    public long Joined { get; private set; }

    /// <summary>Bumped by every applied report (readers cache the reservoir by it).</summary>
    public long Version { get; private set; }

    /// <summary>Joins applied.</summary>
    public long Joins { get; private set; }

    /// <summary>Leaves applied.</summary>
    public long Leaves { get; private set; }

    /// <summary>Reports applied.</summary>
    public long Reports { get; private set; }

    /// <summary>Σ pairs over the members.</summary>
    public long SumPairs { get; private set; }

    /// <summary>Σθ over the members.</summary>
    public ReadOnlySpan<double> Sum => _sum;

    /// <summary>Σ‖θ‖² over the members.</summary>
    public double SumSquares => _sumSquares;

    /// <summary>Snapshots in the reservoir.</summary>
    public int Sampled => _slotOf.Count;

    /// <summary>Whether a report with this id was applied (among the last <see cref="RecentReportCapacity"/>).</summary>
    public bool Seen(long reportId) => _recentSet.Contains(reportId);

    /// <summary>
    /// Applies <paramref name="report"/> (memory only). False when its id was applied before: nothing changes. The report
    /// must be valid (<see cref="Validate"/>).
    /// </summary>
    public bool Apply(MembershipReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Remember(report.Id))
        {
            return false;
        }

        Count += report.CountDelta;
        SumPairs += report.PairsDelta;
        _sumSquares += report.SquaredNormDelta;
        for (int i = 0; i < _sum.Length; i++)
        {
            _sum[i] += report.SchemeDelta[i];
        }

        Reports++;
        if (report.CountDelta > 0)
        {
            Joins++;
            Joined++;
        }
        else if (report.CountDelta < 0)
        {
            Leaves++;
        }

        if (report.Snapshot is null)
        {
            Drop(report.UserKey);
        }
        else
        {
            Sample(report.Snapshot, isNew: report.CountDelta > 0);
        }

        Version++;
        return true;
    }

    /// <summary>Why <paramref name="report"/> cannot be applied to a prototype of <paramref name="tenant"/>, or null when it can.</summary>
    public string? Validate(MembershipReport report, string tenant)
    {
        if (report is null)
        {
            return "The report must be set.";
        }

        if (report.Id == 0)
        {
            return "The report id must not be 0.";
        }

        if (string.IsNullOrWhiteSpace(report.UserKey) || TenantOf(report.UserKey) != tenant)
        {
            return $"Member '{report.UserKey}' is not a user of tenant '{tenant}'.";
        }

        if (report.CountDelta is < -1 or > 1)
        {
            return $"CountDelta must be −1, 0 or 1, got {report.CountDelta}.";
        }

        if (report.SchemeDelta is null || report.SchemeDelta.Length != Dimension || !AllFinite(report.SchemeDelta) || !double.IsFinite(report.SquaredNormDelta))
        {
            return $"The scheme delta must have {Dimension} finite values.";
        }

        if ((report.Snapshot is null) != (report.CountDelta < 0))
        {
            return "A leave carries no snapshot; a join or update carries one.";
        }

        var snapshot = report.Snapshot;
        if (snapshot is not null)
        {
            if (!string.Equals(snapshot.UserKey, report.UserKey, StringComparison.Ordinal))
            {
                return "The snapshot is of another user.";
            }

            if (snapshot.Scheme is null || snapshot.Scheme.Length != Dimension || !AllFinite(snapshot.Scheme))
            {
                return $"The snapshot's scheme must have {Dimension} finite values.";
            }

            if (snapshot.Sketch is null || (snapshot.Sketch.Length != 0 && snapshot.Sketch.Length != SketchLength) || !AllFinite(snapshot.Sketch))
            {
                return $"The snapshot's sketch must be empty or {SketchLength} finite values.";
            }

            if (snapshot.CollaborativeCriteria is { } criteria && (criteria.Length > CriteriaCapacity || !AllFinite(criteria)))
            {
                return $"The snapshot's collaborative criteria must be at most {CriteriaCapacity} finite values.";
            }

            if (snapshot.PairCount < 0 || snapshot.Sequence < 0)
            {
                return "The snapshot's PairCount and Sequence must not be negative.";
            }
        }

        return Encoding.UTF8.GetByteCount(report.UserKey) > KeyBytes ? "The user key is too long." : null;
    }

    /// <summary>The summary of prototype <paramref name="index"/> from the running sums.</summary>
    public PrototypeSummary Summary(int index)
    {
        var centroid = new float[_sum.Length];
        double meanSquaredNorm = 0, centroidSquaredNorm = 0;
        if (Count > 0)
        {
            for (int i = 0; i < centroid.Length; i++)
            {
                double mean = _sum[i] / Count;
                centroid[i] = (float)mean;
                centroidSquaredNorm += mean * mean;
            }

            meanSquaredNorm = _sumSquares / Count;
        }

        // E‖θ − μ‖² = E‖θ‖² − ‖μ‖²; clamped because cancellation can make it a hair negative.
        double spread = Math.Sqrt(Math.Max(0, meanSquaredNorm - centroidSquaredNorm));
        return new PrototypeSummary(index, Math.Max(0, Count), centroid, spread, Count > 0 ? (double)SumPairs / Count : 0, Version, Joins, Leaves, Reports);
    }

    /// <summary>The reservoir's snapshots, in slot order.</summary>
    public IReadOnlyList<MemberSnapshot> Reservoir() =>
        _slots.Where(s => s is not null)
            .Select(s => new MemberSnapshot(s!.UserKey, (float[])s.Scheme.Clone(), (float[])s.Key.Clone(), s.PairCount, s.Sequence, (float[])s.Criteria.Clone()))
            .ToList();

    /// <summary>The packed, fixed-size layout (its length depends only on <see cref="Dimension"/>).</summary>
    public byte[] Pack()
    {
        int d = Dimension;
        var bytes = new byte[PackedLength(d)];
        var w = new Writer(bytes);
        w.Int32(d);
        w.Int32(SketchLength);
        w.Int32(ReservoirCapacity);
        w.Int32(RecentReportCapacity);
        w.Int32(KeyBytes);
        w.Int64(Count);
        w.Int64(Joined);
        w.Int64(Version);
        w.Int64(Joins);
        w.Int64(Leaves);
        w.Int64(Reports);
        w.Int64(SumPairs);
        w.Double(_sumSquares);
        foreach (double x in _sum)
        {
            w.Double(x);
        }

        w.Int32(_recentNext);
        foreach (long id in _recent)
        {
            w.Int64(id);
        }

        foreach (var slot in _slots)
        {
            w.Int16((short)(slot is null ? 0 : Encoding.UTF8.GetByteCount(slot.UserKey)));
            if (slot is not null)
            {
                Encoding.UTF8.GetBytes(slot.UserKey, w.Span(KeyBytes, advance: false));
            }

            w.Skip(KeyBytes);
            w.Int64(slot?.Sequence ?? 0);
            w.Int32(slot?.PairCount ?? 0);
            w.Int16((short)(slot?.Key.Length ?? 0));
            for (int i = 0; i < d; i++)
            {
                w.Single(slot?.Scheme[i] ?? 0);
            }

            for (int i = 0; i < SketchLength; i++)
            {
                w.Single(slot is not null && slot.Key.Length > 0 ? slot.Key[i] : 0);
            }

            w.Int16((short)(slot?.Criteria.Length ?? 0));
            for (int i = 0; i < CriteriaCapacity; i++)
            {
                w.Single(slot is not null && i < slot.Criteria.Length ? slot.Criteria[i] : 0);
            }
        }

        return bytes;
    }

    /// <summary>Bytes of <see cref="Pack"/>'s layout for schemes of <paramref name="dimension"/> values.</summary>
    public static int PackedLength(int dimension) =>
        (5 * 4) + (7 * 8) + 8 + (dimension * 8) + 4 + (RecentReportCapacity * 8)
        + (ReservoirCapacity * (2 + KeyBytes + 8 + 4 + 2 + (dimension * 4) + (SketchLength * 4) + 2 + (CriteriaCapacity * 4)));

    /// <summary>
    /// The statistics <paramref name="state"/> holds for prototype <paramref name="key"/>; empty ones of
    /// <paramref name="dimension"/> when nothing is stored.
    /// </summary>
    /// <exception cref="InvalidDataException">A state of another format (format 1, the member list) or another scheme
    /// dimension: never read as an empty prototype.</exception>
    public static PrototypeMembers Load(PrototypeState state, bool recordExists, string key, int dimension)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!recordExists)
        {
            return new PrototypeMembers(key, dimension);
        }

        if (state.Format != Format)
        {
            throw new InvalidDataException(
                $"Prototype {key} is stored in format {(state.Format == 0 ? 1 : state.Format)}, this silo reads format {Format}: reset the prototypes " +
                "(IPrototypeGrain.ResetAsync, or delete the prototypes container) and rebuild them from the feedback logs (docs/STORAGE.md, 'Prototypes').");
        }

        if (state.Packed.Length < 20)
        {
            throw new InvalidDataException($"Prototype {key} holds {state.Packed.Length} packed bytes, not a format-{Format} layout; reset and rebuild it.");
        }

        var r = new Reader(state.Packed);
        int d = r.Int32();
        if (d != dimension || r.Int32() != SketchLength || r.Int32() != ReservoirCapacity || r.Int32() != RecentReportCapacity || r.Int32() != KeyBytes
            || state.Packed.Length != PackedLength(d))
        {
            throw new InvalidDataException($"Prototype {key} is stored for schemes of {d} values (this model has {dimension}) or another layout; reset and rebuild it.");
        }

        var members = new PrototypeMembers(key, d)
        {
            Count = r.Int64(),
            Joined = r.Int64(),
            Version = r.Int64(),
            Joins = r.Int64(),
            Leaves = r.Int64(),
            Reports = r.Int64(),
            SumPairs = r.Int64(),
        };
        members._sumSquares = r.Double();
        for (int i = 0; i < d; i++)
        {
            members._sum[i] = r.Double();
        }

        members._recentNext = r.Int32();
        for (int i = 0; i < RecentReportCapacity; i++)
        {
            members._recent[i] = r.Int64();
            if (members._recent[i] != 0)
            {
                members._recentSet.Add(members._recent[i]);
            }
        }

        for (int s = 0; s < ReservoirCapacity; s++)
        {
            int keyLength = r.Int16();
            string userKey = Encoding.UTF8.GetString(r.Span(KeyBytes)[..keyLength]);
            long sequence = r.Int64();
            int pairs = r.Int32();
            int sketch = r.Int16();
            var scheme = new float[d];
            for (int i = 0; i < d; i++)
            {
                scheme[i] = r.Single();
            }

            var sketchValues = new float[sketch];
            for (int i = 0; i < SketchLength; i++)
            {
                float x = r.Single();
                if (i < sketch)
                {
                    sketchValues[i] = x;
                }
            }

            int criteriaLength = r.Int16();
            var criteria = new float[Math.Clamp(criteriaLength, 0, CriteriaCapacity)];
            for (int i = 0; i < CriteriaCapacity; i++)
            {
                float x = r.Single();
                if (i < criteria.Length)
                {
                    criteria[i] = x;
                }
            }

            if (keyLength > 0)
            {
                members._slots[s] = new Slot(userKey, scheme, sketchValues, pairs, sequence, criteria);
                members._slotOf[userKey] = s;
            }
        }

        // Seeded by key and stream position: a replayed sequence of joins samples the same reservoir.
        members._random = new Random(Core.Model.StableHash.Seed((int)members.Joined, key));
        return members;
    }

    private bool Remember(long id)
    {
        if (!_recentSet.Add(id))
        {
            return false;
        }

        long evicted = _recent[_recentNext];
        if (evicted != 0)
        {
            _recentSet.Remove(evicted);
        }

        _recent[_recentNext] = id;
        _recentNext = (_recentNext + 1) % RecentReportCapacity;
        return true;
    }

    /// <summary>
    /// Keeps the reservoir a uniform sample of the members (Algorithm R over joins): a member already sampled is replaced
    /// in place (unless the held snapshot is newer); a free slot (after a leave) takes whoever reports next; a new member
    /// enters a full reservoir with probability capacity / joined.
    /// </summary>
    private void Sample(MemberSnapshot snapshot, bool isNew)
    {
        var slot = new Slot(
            snapshot.UserKey, (float[])snapshot.Scheme.Clone(), (float[])snapshot.Sketch.Clone(), snapshot.PairCount, snapshot.Sequence,
            (float[]?)snapshot.CollaborativeCriteria?.Clone() ?? []);
        if (_slotOf.TryGetValue(snapshot.UserKey, out int at))
        {
            if (_slots[at]!.Sequence <= snapshot.Sequence)
            {
                _slots[at] = slot;
            }

            return;
        }

        int free = Array.IndexOf(_slots, null);
        if (free >= 0)
        {
            _slots[free] = slot;
            _slotOf[slot.UserKey] = free;
            return;
        }

        if (isNew)
        {
            long r = _random.NextInt64(Math.Max(1, Joined));
            if (r < ReservoirCapacity)
            {
                _slotOf.Remove(_slots[r]!.UserKey);
                _slots[r] = slot;
                _slotOf[slot.UserKey] = (int)r;
            }
        }
    }

    private void Drop(string userKey)
    {
        if (_slotOf.Remove(userKey, out int at))
        {
            _slots[at] = null;
        }
    }

    private static string? TenantOf(string userKey)
    {
        try
        {
            return GrainKeys.Parse(userKey).Tenant;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float x in values)
        {
            if (!float.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Slot(string UserKey, float[] Scheme, float[] Key, int PairCount, long Sequence, float[] Criteria);

    private ref struct Writer(Span<byte> bytes)
    {
        private readonly Span<byte> _bytes = bytes;
        private int _at;

        public void Int16(short x) => BinaryPrimitives.WriteInt16LittleEndian(Span(2), x);

        public void Int32(int x) => BinaryPrimitives.WriteInt32LittleEndian(Span(4), x);

        public void Int64(long x) => BinaryPrimitives.WriteInt64LittleEndian(Span(8), x);

        public void Single(float x) => BinaryPrimitives.WriteSingleLittleEndian(Span(4), x);

        public void Double(double x) => BinaryPrimitives.WriteDoubleLittleEndian(Span(8), x);

        public void Skip(int n) => _at += n;

        public Span<byte> Span(int n, bool advance = true)
        {
            var span = _bytes.Slice(_at, n);
            if (advance)
            {
                _at += n;
            }

            return span;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public short Int16() => BinaryPrimitives.ReadInt16LittleEndian(Span(2));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Span(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Span(8));

        public float Single() => BinaryPrimitives.ReadSingleLittleEndian(Span(4));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Span(8));

        public ReadOnlySpan<byte> Span(int n)
        {
            var span = _bytes.Slice(_at, n);
            _at += n;
            return span;
        }
    }
}

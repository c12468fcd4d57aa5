using System.Text;
using Orleans.Serialization;

namespace PGenRM.Grains.Storage;

/// <summary>
/// The stored form of a <see cref="UserState"/>: a format version byte, the state without its history through the
/// Orleans serializer (field ids and type aliases, so a rename or a new field does not break stored state), then the
/// history packed by hand (the history is what makes a user large: ~0.9 KB a pair against ~7 KB as JSON).
/// </summary>
/// <remarks>
/// A pair is stored as ids (UTF-8), the content difference and the two item factors as float32, strengths and weight
/// as float64, and the query embedding as float16. <see cref="StoredPair.From"/> rounds to exactly these precisions
/// when a pair is captured, so what an activation holds is what storage holds and a state round-trips bit for bit.
/// Layout (little-endian), version 2:
/// <c>[2][int32 n][n bytes: Orleans-serialized state, History and the vectors below empty][int32 pairs][pair]*</c>
/// then <c>FoldedMean, FoldedPrecision, JudgmentSketch, ReportedScheme</c> as <c>[int32 length][float32]*</c> and
/// <c>StatedPreference</c> as <c>[int32 length or −1][float32]*</c> (the grain rounds it to float32 when it is set). The vectors are written raw because the Orleans
/// serializer spends a tag byte per array element (5 bytes a float), which alone would put a folded user over 16 KiB.
/// </remarks>
public static class UserStatePacker
{
    /// <summary>Current format version (the first byte).</summary>
    /// <remarks>
    /// Version 2 came with the feedback log (the de-duplication id list left the state; ids 11–12 joined). A version 1
    /// row is refused: nothing was deployed with it, so a reset of the users table is the migration (docs/STORAGE.md).
    /// </remarks>
    public const byte FormatVersion = 2;

    /// <summary>Packs a state.</summary>
    public static byte[] Pack(UserState state, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(serializer);
        byte[] rest = serializer.SerializeToArray(state.WithoutPackedParts());
        using var stream = new MemoryStream(rest.Length + (state.History.Count * 1024) + 16);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(rest.Length);
            writer.Write(rest);
            writer.Write(state.History.Count);
            foreach (var pair in state.History)
            {
                WritePair(writer, pair);
            }

            WriteFloats(writer, state.FoldedMean);
            WriteFloats(writer, state.FoldedPrecision);
            WriteFloats(writer, state.JudgmentSketch);
            WriteFloats(writer, state.ReportedScheme);
            writer.Write(state.StatedPreference?.Length ?? -1);
            foreach (double x in state.StatedPreference ?? [])
            {
                writer.Write((float)x);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Unpacks a state written by <see cref="Pack"/>.</summary>
    /// <exception cref="InvalidDataException">The data is not a packed user state of a known version.</exception>
    public static UserState Unpack(ReadOnlyMemory<byte> data, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (data.Length == 0)
        {
            throw new InvalidDataException("A stored user state is empty.");
        }

        byte version = data.Span[0];
        if (version != FormatVersion)
        {
            // A JSON state from before the packed format starts with '{'; neither is silently treated as empty.
            throw new InvalidDataException(
                $"Stored user state has format version {version}; this build reads version {FormatVersion}. Rows written before the feedback log (version 1) cannot be migrated: reset the users table (docs/STORAGE.md, 'Existing rows').");
        }

        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            reader.ReadByte();
            int restLength = reader.ReadInt32();
            var state = serializer.Deserialize<UserState>(reader.ReadBytes(restLength))
                ?? throw new InvalidDataException("Stored user state holds a null state.");
            int count = reader.ReadInt32();
            var history = new List<StoredPair>(count);
            for (int i = 0; i < count; i++)
            {
                history.Add(ReadPair(reader));
            }

            state.FoldedMean = ReadFloats(reader);
            state.FoldedPrecision = ReadFloats(reader);
            state.JudgmentSketch = ReadFloats(reader);
            state.ReportedScheme = ReadFloats(reader);
            int stated = reader.ReadInt32();
            if (stated >= 0)
            {
                var values = new double[Math.Min(stated, 1 << 20)];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = reader.ReadSingle();
                }

                state.StatedPreference = values;
            }

            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"Stored user state has {stream.Length - stream.Position} bytes after its last pair.");
            }

            state.History = history;
            return state;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Stored user state is truncated.", e);
        }
    }

    /// <summary>Packs pairs in the history's format (the feedback log stores the pairs it applied this way).</summary>
    public static byte[] PackPairs(IReadOnlyList<StoredPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        using var stream = new MemoryStream((pairs.Count * 1024) + 4);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(pairs.Count);
            foreach (var pair in pairs)
            {
                WritePair(writer, pair);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Unpacks what <see cref="PackPairs"/> wrote.</summary>
    /// <exception cref="InvalidDataException">Truncated or trailing data.</exception>
    public static List<StoredPair> UnpackPairs(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            int count = ReadLength(reader);
            var pairs = new List<StoredPair>(Math.Min(count, 1024));
            for (int i = 0; i < count; i++)
            {
                pairs.Add(ReadPair(reader));
            }

            return stream.Position == stream.Length ? pairs : throw new InvalidDataException("Packed pairs have trailing bytes.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Packed pairs are truncated.", e);
        }
    }

    /// <summary>A value as float32 stores it.</summary>
    public static double RoundToSingle(double value) => (float)value;

    /// <summary>A value as float16 stores it.</summary>
    public static float RoundToHalf(float value) => (float)(Half)value;

    private static void WritePair(BinaryWriter writer, StoredPair pair)
    {
        writer.Write(pair.FeedbackId);
        writer.Write(pair.ChosenItemId);
        writer.Write(pair.RejectedItemId);
        WriteSingles(writer, pair.ContentDiff);
        writer.Write(pair.ChosenStrength);
        WriteSingles(writer, pair.ChosenFactor);
        writer.Write(pair.RejectedStrength);
        WriteSingles(writer, pair.RejectedFactor);
        writer.Write(pair.QueryEmbedding.Length);
        foreach (float x in pair.QueryEmbedding)
        {
            writer.Write((Half)x);
        }

        writer.Write(pair.Weight);
        writer.Write(pair.At.UtcTicks);
        writer.Write((short)pair.At.Offset.TotalMinutes);
    }

    private static StoredPair ReadPair(BinaryReader reader)
    {
        var pair = new StoredPair
        {
            FeedbackId = reader.ReadString(),
            ChosenItemId = reader.ReadString(),
            RejectedItemId = reader.ReadString(),
            ContentDiff = ReadSingles(reader),
            ChosenStrength = reader.ReadDouble(),
            ChosenFactor = ReadSingles(reader),
            RejectedStrength = reader.ReadDouble(),
            RejectedFactor = ReadSingles(reader),
        };
        var query = new float[ReadLength(reader)];
        for (int i = 0; i < query.Length; i++)
        {
            query[i] = (float)reader.ReadHalf();
        }

        pair.QueryEmbedding = query;
        pair.Weight = reader.ReadDouble();
        long ticks = reader.ReadInt64();
        var offset = TimeSpan.FromMinutes(reader.ReadInt16());
        pair.At = new DateTimeOffset(ticks + offset.Ticks, offset);
        return pair;
    }

    private static void WriteSingles(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (double x in values)
        {
            writer.Write((float)x);
        }
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[ReadLength(reader)];
        var bytes = reader.ReadBytes(values.Length * sizeof(float));
        if (bytes.Length != values.Length * sizeof(float))
        {
            throw new EndOfStreamException();
        }

        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static double[] ReadSingles(BinaryReader reader)
    {
        var values = new double[ReadLength(reader)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }

    private static int ReadLength(BinaryReader reader)
    {
        int length = reader.ReadInt32();

        // A corrupt length must not allocate gigabytes; no stored vector is near this.
        return length is >= 0 and <= 1 << 20 ? length : throw new InvalidDataException($"Stored user state has a vector of length {length}.");
    }
}

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
/// Layout (little-endian), version 1:
/// <c>[1][int32 n][n bytes: Orleans-serialized state, History empty][int32 pairs][pair]*</c>.
/// </remarks>
public static class UserStatePacker
{
    /// <summary>Current format version (the first byte).</summary>
    public const byte FormatVersion = 1;

    /// <summary>Packs a state.</summary>
    public static byte[] Pack(UserState state, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(serializer);
        byte[] rest = serializer.SerializeToArray(state.WithoutHistory());
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
            throw new InvalidDataException($"Stored user state has format version {version}; this build reads version {FormatVersion}.");
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

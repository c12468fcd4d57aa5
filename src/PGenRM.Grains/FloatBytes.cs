using System.Runtime.InteropServices;

namespace PGenRM.Grains;

/// <summary>Packs float vectors into little-endian bytes for storage (the Orleans serializer spends a tag byte per array element otherwise).</summary>
internal static class FloatBytes
{
    public static byte[] Pack(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static float[] Unpack(byte[] bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidOperationException($"A stored float vector has {bytes.Length} bytes, not a multiple of {sizeof(float)}.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

using System.Runtime.InteropServices;

namespace PGenRM.Grains;

/// <summary>Packs float vectors into bytes for storage (the JSON serializer writes byte arrays as base64).</summary>
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

namespace PGenRM.Core.Model;

/// <summary>
/// A process-independent 32-bit FNV-1a hash of a string. string.GetHashCode is randomised per process,
/// which would make seeded draws differ between silos and between runs.
/// </summary>
public static class StableHash
{
    /// <summary>Hashes the UTF-16 code units of <paramref name="text"/>.</summary>
    public static int Of(string text)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ (uint)(c & 0xFF)) * 16777619;
                hash = (hash ^ (uint)(c >> 8)) * 16777619;
            }

            return (int)hash;
        }
    }

    /// <summary>Combines a seed and a key into one deterministic seed.</summary>
    public static int Seed(int seed, string key) => unchecked((seed * 486187739) ^ Of(key));
}

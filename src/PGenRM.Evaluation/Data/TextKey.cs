using System.Security.Cryptography;
using System.Text;

namespace PGenRM.Evaluation.Data;

/// <summary>Text normalisation and content hashes used for deduplication and stable ids.</summary>
internal static class TextKey
{
    /// <summary>Hex characters kept from the SHA-256: 64 bits, so a collision among a few million texts is negligible.</summary>
    private const int HashHexLength = 16;

    /// <summary>
    /// Trims and collapses every run of white space (including newlines and no-break spaces) to one space.
    /// Case and Unicode form are kept: the build runs with InvariantGlobalization, where <see cref="string.Normalize()"/>
    /// is not available, and on the shipped data case folding merges nothing more (checked for Polis and TL;DR).
    /// </summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The first 16 hex digits (lower case) of the SHA-256 of the normalised text's UTF-8 bytes.</summary>
    public static string Hash(string text)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text)));
        return Convert.ToHexStringLower(digest)[..HashHexLength];
    }

    /// <summary>
    /// A 32-bit FNV-1a hash of a string. Unlike <see cref="string.GetHashCode()"/> it is the same in every process,
    /// which seeded sampling needs so that a user's sample does not change between runs.
    /// </summary>
    public static int StableHash(string text)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)hash;
        }
    }
}

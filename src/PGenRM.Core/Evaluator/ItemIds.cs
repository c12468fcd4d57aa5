using System.Security.Cryptography;
using System.Text;

namespace PGenRM.Core.Evaluator;

/// <summary>
/// Item identity: a client-given id, or a hash of the normalised text (case, whitespace and Unicode form folded),
/// so that the same response shown to many users collects their judgments in one place.
/// </summary>
public static class ItemIds
{
    /// <summary>The id of a response: <paramref name="clientId"/> when given, else "h:" + a SHA-256 prefix of the normalised text.</summary>
    public static string For(string text, string? clientId = null)
    {
        if (!string.IsNullOrWhiteSpace(clientId))
        {
            return clientId;
        }

        ArgumentNullException.ThrowIfNull(text);
        var normalised = string.Join(' ', text.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "h:" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalised)).AsSpan(0, 12)).ToLowerInvariant();
    }
}

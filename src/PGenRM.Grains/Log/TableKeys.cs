using System.Text;

namespace PGenRM.Grains.Log;

/// <summary>
/// Azure Table keys from arbitrary ids: '/', '\', '#', '?', control characters and '%' itself are written as %XX, so
/// the mapping is reversible and distinct ids stay distinct keys.
/// </summary>
public static class TableKeys
{
    /// <summary>The key for <paramref name="id"/>.</summary>
    public static string Escape(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        StringBuilder? sb = null;
        for (int i = 0; i < id.Length; i++)
        {
            char c = id[i];
            if (c is '/' or '\\' or '#' or '?' or '%' or < (char)0x20 or (>= (char)0x7F and <= (char)0x9F))
            {
                sb ??= new StringBuilder(id, 0, i, id.Length + 8);
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? id;
    }

    /// <summary>The id a key made by <see cref="Escape"/> came from.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var sb = new StringBuilder(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else
            {
                sb.Append(key[i]);
            }
        }

        return sb.ToString();
    }
}

using Azure.Data.Tables;

namespace PGenRM.Grains.Storage;

/// <summary>
/// Azure Table's limits for the rows PGenRM writes itself (the feedback log, the items' rows), and how a payload is
/// split over binary properties: at most 64 KiB each, at most <see cref="MaxChunks"/> of them (15 × 64 KiB stays under
/// the 1 MiB entity limit with the keys), at most <see cref="MaxTransactionRows"/> rows in an entity-group transaction.
/// </summary>
public static class TableChunks
{
    /// <summary>Bytes per binary property.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Most binary properties in a row.</summary>
    public const int MaxChunks = 15;

    /// <summary>Most rows in one entity-group transaction.</summary>
    public const int MaxTransactionRows = 100;

    /// <summary>The log's property names: Data0 … Data14.</summary>
    public static IReadOnlyList<string> LogProperties { get; } = [.. Enumerable.Range(0, MaxChunks).Select(i => $"Data{i}")];

    /// <summary>Orleans' property names for a state, kept by the items' rows: Data, Data1 … Data14.</summary>
    public static IReadOnlyList<string> StateProperties { get; } = ["Data", .. Enumerable.Range(1, MaxChunks - 1).Select(i => $"Data{i}")];

    /// <summary>Whether <paramref name="length"/> bytes fit in one row.</summary>
    public static bool Fits(int length) => length <= MaxChunks * ChunkSize;

    /// <summary>Writes <paramref name="data"/> into <paramref name="row"/> under <paramref name="names"/>; the usual one-chunk payload is stored without a copy.</summary>
    /// <exception cref="ArgumentException">The payload does not fit (<see cref="Fits"/>).</exception>
    public static void Write(TableEntity row, byte[] data, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(data);
        if (!Fits(data.Length))
        {
            throw new ArgumentException($"{data.Length} bytes do not fit in a row ({MaxChunks * ChunkSize} at most).", nameof(data));
        }

        if (data.Length <= ChunkSize)
        {
            row[names[0]] = data;
            return;
        }

        for (int i = 0, start = 0; start < data.Length; i++, start += ChunkSize)
        {
            row[names[i]] = data.AsSpan(start, Math.Min(ChunkSize, data.Length - start)).ToArray();
        }
    }

    /// <summary>The payload of <paramref name="row"/>: its chunks under <paramref name="names"/> joined, up to the first missing one.</summary>
    public static byte[] Read(TableEntity row, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var all = new MemoryStream();
        foreach (string name in names)
        {
            if (!row.TryGetValue(name, out object? value) || value is not byte[] bytes)
            {
                break;
            }

            all.Write(bytes);
        }

        return all.ToArray();
    }
}

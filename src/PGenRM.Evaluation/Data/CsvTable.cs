using System.Globalization;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// A CSV file with a header row: looks columns up by name (never by position, since column sets differ between
/// snapshots) and parses values culture-invariantly, turning every failure into a <see cref="DatasetFormatException"/>
/// that names the file and line.
/// </summary>
internal sealed class CsvTable : IDisposable
{
    private readonly CsvRecordReader _reader;
    private readonly Dictionary<string, int> _columns;
    private readonly long _headerLine;
    private readonly int _fieldCount;

    private CsvTable(CsvRecordReader reader, Dictionary<string, int> columns, long headerLine, int fieldCount)
    {
        _reader = reader;
        _columns = columns;
        _headerLine = headerLine;
        _fieldCount = fieldCount;
        Current = [];
    }

    public string[] Current { get; private set; }

    public long Line => _reader.RecordLine;

    public string FilePath => _reader.FilePath;

    public static CsvTable Open(string filePath) => Open(new CsvRecordReader(filePath));

    public static CsvTable Open(CsvRecordReader reader)
    {
        if (!reader.TryRead(out var header))
        {
            reader.Dispose();
            throw new DatasetFormatException("the file is empty; a header row was expected", reader.FilePath, 1);
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }

        return new CsvTable(reader, columns, reader.RecordLine, header.Length);
    }

    /// <summary>The index of a column that must exist.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out var index)
        ? index
        : throw new DatasetFormatException(
            $"missing column '{name}' (found: {string.Join(", ", _columns.Keys)})", _reader.FilePath, _headerLine);

    /// <summary>The index of an optional column, or −1.</summary>
    public int OptionalColumn(string name) => _columns.TryGetValue(name, out var index) ? index : -1;

    public bool Read()
    {
        if (!_reader.TryRead(out var fields))
        {
            return false;
        }

        if (fields.Length != _fieldCount)
        {
            throw Error($"expected {_fieldCount} fields as in the header, found {fields.Length}");
        }

        Current = fields;
        return true;
    }

    public string Get(int column) => Current[column];

    public long GetInt64(int column, string name) =>
        long.TryParse(Current[column].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"column '{name}': '{Current[column]}' is not an integer");

    public double GetDouble(int column, string name) =>
        double.TryParse(Current[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"column '{name}': '{Current[column]}' is not a number");

    public DatasetFormatException Error(string message) => _reader.Error(message);

    public void Dispose() => _reader.Dispose();
}

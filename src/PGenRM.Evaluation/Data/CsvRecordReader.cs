using System.Text;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// A small RFC 4180 reader: comma separated, double-quoted fields with <c>""</c> escapes, quoted fields may span lines,
/// records end at LF or CRLF. Hand-written rather than a package because the inputs are small, and because every error
/// has to name the physical line where the record starts, which this reader tracks itself.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _filePath;
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private long _line = 1;

    public CsvRecordReader(string filePath)
        : this(new StreamReader(filePath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), filePath)
    {
    }

    public CsvRecordReader(TextReader reader, string filePath)
    {
        _reader = reader;
        _filePath = filePath;
    }

    /// <summary>The file name used in error messages.</summary>
    public string FilePath => _filePath;

    /// <summary>The 1-based line where the record last returned by <see cref="TryRead"/> starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record. Blank lines are skipped.</summary>
    public bool TryRead(out string[] fields)
    {
        while (true)
        {
            if (_reader.Peek() < 0)
            {
                fields = [];
                return false;
            }

            RecordLine = _line;
            ReadRecord();
            if (_fields.Count == 1 && _fields[0].Length == 0)
            {
                continue;
            }

            fields = [.. _fields];
            return true;
        }
    }

    /// <summary>An exception that names this file and the current record's line.</summary>
    public DatasetFormatException Error(string message, Exception? inner = null) => new(message, _filePath, RecordLine, inner);

    public void Dispose() => _reader.Dispose();

    private void ReadRecord()
    {
        _fields.Clear();
        _field.Clear();
        var inQuotes = false;
        var wasQuoted = false;
        while (true)
        {
            var next = _reader.Read();
            if (next < 0)
            {
                if (inQuotes)
                {
                    throw Error("a quoted field is not closed before the end of the file");
                }

                EndField();
                return;
            }

            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    EndField();
                    wasQuoted = false;
                    break;
                case '\r' when _reader.Peek() == '\n':
                    break;
                case '\n':
                    _line++;
                    EndField();
                    return;
                case '"' when _field.Length == 0 && !wasQuoted:
                    inQuotes = true;
                    wasQuoted = true;
                    break;
                default:
                    if (wasQuoted)
                    {
                        throw Error($"unexpected character '{c}' after the closing quote of field {_fields.Count + 1}");
                    }

                    // A stray quote inside an unquoted field is kept literally, as most writers and readers do.
                    _field.Append(c);
                    break;
            }
        }
    }

    private void EndField()
    {
        _fields.Add(_field.ToString());
        _field.Clear();
    }
}

namespace PGenRM.Evaluation.Data;

/// <summary>
/// Thrown when a data file or an assembled dataset is malformed: a missing column, an unparsable value,
/// a reference to an id that does not exist. The message starts with <c>file:line:</c> when those are known,
/// so that a person can open the offending row directly.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates an exception without file context (for example, a dataset assembled in memory).</summary>
    public DatasetFormatException()
        : this("The dataset is malformed.")
    {
    }

    /// <summary>Creates an exception without file context (for example, a dataset assembled in memory).</summary>
    public DatasetFormatException(string message)
        : this(message, filePath: null, lineNumber: null)
    {
    }

    /// <summary>Creates an exception that wraps a lower-level parse error.</summary>
    public DatasetFormatException(string message, Exception innerException)
        : this(message, filePath: null, lineNumber: null, innerException)
    {
    }

    /// <summary>Creates an exception that names the file and, where known, the 1-based line.</summary>
    /// <param name="message">What is wrong, without the location.</param>
    /// <param name="filePath">The file that holds the problem, or <see langword="null"/>.</param>
    /// <param name="lineNumber">The 1-based physical line where the offending record starts, or <see langword="null"/>.</param>
    /// <param name="innerException">The lower-level parse error, if any.</param>
    public DatasetFormatException(string message, string? filePath, long? lineNumber, Exception? innerException = null)
        : base(Format(message, filePath, lineNumber), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Reason = message;
    }

    /// <summary>The file that holds the problem, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based physical line where the offending record starts, when known.</summary>
    public long? LineNumber { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string message, string? filePath, long? lineNumber) => (filePath, lineNumber) switch
    {
        (null, null) => message,
        (null, { } line) => $"line {line}: {message}",
        ({ } file, null) => $"{file}: {message}",
        ({ } file, { } line) => $"{file}:{line}: {message}",
    };
}

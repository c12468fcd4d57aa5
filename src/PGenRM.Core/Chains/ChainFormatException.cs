namespace PGenRM.Core.Chains;

/// <summary>Thrown when a text does not hold a well-formed evaluation chain; the message names the problem.</summary>
public sealed class ChainFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ChainFormatException()
        : base("The text does not hold a well-formed evaluation chain.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What is wrong with the text.</param>
    public ChainFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying error.</summary>
    /// <param name="message">What is wrong with the text.</param>
    /// <param name="innerException">The underlying error (for example the JSON reader's).</param>
    public ChainFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace PGenRM.Grains.Abstractions;

/// <summary>The tenant's generative judge could not score (model server failed or no readable chain) and fallback is off.</summary>
[GenerateSerializer, Alias("PGenRM.JudgeUnavailableException")]
public sealed class JudgeUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public JudgeUnavailableException()
        : base("The tenant's LLM judge could not score the candidates.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public JudgeUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying error.</summary>
    public JudgeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

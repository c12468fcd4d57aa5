namespace PGenRM.Evaluators.Llm;

/// <summary>The judge could not produce a reward (no readable chain after repair, or the model server failed); never a silent reward.</summary>
public sealed class LlmJudgeException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public LlmJudgeException()
        : base("The LLM judge could not score the candidates.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public LlmJudgeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying error.</summary>
    public LlmJudgeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

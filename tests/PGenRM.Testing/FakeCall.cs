namespace PGenRM.Testing;

/// <summary>One request the fake server received, as the OpenAI chat-completions wire format carried it.</summary>
public sealed record FakeCall(int Number, string Model, int N, bool Stream, double? Temperature, IReadOnlyList<(string Role, string Content)> Messages, DateTimeOffset At)
{
    public string System => Messages.FirstOrDefault(m => m.Role == "system").Content ?? string.Empty;

    public string User => Messages.FirstOrDefault(m => m.Role == "user").Content ?? string.Empty;

    /// <summary>True for the judge's repair turn (the conversation holds the model's first answer).</summary>
    public bool IsRepair => Messages.Any(m => m.Role == "assistant");

    /// <summary>The text shown between the Response 1 markers.</summary>
    public string Response1 => Between(User, "[The Start of Response 1]\n", "\n[The End of Response 1]");

    private static string Between(string text, string start, string end)
    {
        int s = text.IndexOf(start, StringComparison.Ordinal);
        if (s < 0)
        {
            return string.Empty;
        }

        s += start.Length;
        int e = text.IndexOf(end, s, StringComparison.Ordinal);
        return e < 0 ? string.Empty : text[s..e];
    }
}

namespace PGenRM.Testing;

/// <summary>What the fake server answers for one choice (or, for a status/hang, for the whole request).</summary>
public sealed record FakeReply(string? Content = null, int Status = 200, int? RetryAfterSeconds = null, bool Hang = false)
{
    public static FakeReply Text(string content) => new(content);

    public static FakeReply Error(int status, int? retryAfterSeconds = null) => new(Status: status, RetryAfterSeconds: retryAfterSeconds);

    public static FakeReply Hanging() => new(Hang: true);
}

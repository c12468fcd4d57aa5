namespace PGenRM.Grains.Abstractions;

/// <summary>
/// A request outside what the service accepts (a limit of <see cref="RequestLimits"/>, a tenant's limit, a duplicate
/// item): the client's mistake, answered 400 with the message, which names <see cref="Field"/>. Distinct from
/// <see cref="ArgumentException"/>, which inside the service means a bug (answered 500).
/// </summary>
[GenerateSerializer, Alias("PGenRM.InvalidRequestException")]
public sealed class InvalidRequestException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    /// <param name="field">The request field at fault, as the client named it (for example <c>m</c> or <c>ratings</c>).</param>
    /// <param name="message">What is wrong, naming the field.</param>
    public InvalidRequestException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The request field at fault.</summary>
    [Id(0)] public string Field { get; }
}

using PGenRM.Grains.Abstractions;

namespace PGenRM.Testing;

/// <summary>
/// Feedback where the user always prefers the short, direct answer over a long, padded one; topics × wording give
/// distinct texts. Shared by the grain tests and the grain benchmark.
/// </summary>
public static class Feedback
{
    private static readonly string[] Topics =
    [
        "reverse a list in Python", "read a file line by line in C#", "center a div in CSS", "undo the last git commit",
        "sort a dictionary by value in Python", "find the length of a string in JavaScript", "create a virtual environment in Python",
        "convert a string to an integer in Java", "list files in a directory in bash", "check if a key exists in a JavaScript object",
        "remove duplicates from a list in Python", "get the current date in C#", "rename a branch in git", "count lines in a file in bash",
        "merge two dictionaries in Python", "make an HTTP GET request in Go", "trim whitespace from a string in Java",
        "flatten a nested list in Python", "read environment variables in Node.js", "format a number with two decimals in C#",
    ];

    /// <summary>Query number <paramref name="i"/> (cycles through the topics with a varying wording).</summary>
    public static string Query(int i) => $"How do I {Topics[i % Topics.Length]}?{(i >= Topics.Length ? $" (case {i / Topics.Length})" : "")}";

    /// <summary>A concise, direct answer.</summary>
    public static string Concise(int i) => $"Short answer for '{Topics[i % Topics.Length]}': use the standard one-liner shown in the docs. Variant {i}.";

    /// <summary>A long, padded, hedging answer.</summary>
    public static string Verbose(int i) =>
        $"Great question! There are many different ways to {Topics[i % Topics.Length]}, and before we get into it, it is worth taking a step back " +
        "to think about the history of the language, the philosophy behind its design, and the many considerations that experienced developers " +
        "weigh when they make this kind of decision. In this comprehensive guide we will explore several approaches in great detail, discuss " +
        "their advantages and disadvantages at length, look at performance, readability and maintainability, and finally, after all of that " +
        $"background, arrive at a recommendation that may or may not suit your particular situation. Variant {i}.";

    /// <summary>Feedback item <paramref name="i"/>: concise ≻ verbose.</summary>
    public static FeedbackItem Item(int i, string? id = null) =>
        new(id ?? $"f-{i}", Query(i), Concise(i), Verbose(i), null, null, 1, DateTimeOffset.UnixEpoch.AddMinutes(i));
}

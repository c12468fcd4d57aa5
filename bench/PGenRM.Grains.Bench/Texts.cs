using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Bench;

/// <summary>Feedback where the concise answer wins over a padded one; topics × wording give distinct texts.</summary>
internal static class Texts
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

    /// <summary>Feedback item <paramref name="i"/> with id "{prefix}-{i}".</summary>
    public static FeedbackItem Item(int i, string prefix = "f")
    {
        string topic = Topics[i % Topics.Length];
        return new FeedbackItem(
            $"{prefix}-{i}",
            $"How do I {topic}? (case {i / Topics.Length})",
            $"Short answer for '{topic}': use the standard one-liner shown in the docs. Variant {i}.",
            $"Great question! There are many ways to {topic}, and before we get into it, it is worth a step back to think about " +
            $"the history of the language and the many considerations experienced developers weigh. Variant {i}.",
            null,
            null,
            1,
            DateTimeOffset.UnixEpoch.AddMinutes(i));
    }
}

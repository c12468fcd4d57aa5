using System.Collections.Frozen;

namespace PGenRM.Core.Criteria;

/// <summary>
/// Counts gathered from a response in one pass over its lines and characters, with no regex and no
/// per-word allocation (word look-ups go through span-keyed frozen sets).
/// </summary>
internal readonly record struct TextFeatures(
    int Words,
    int ListLines,
    int HeadingLines,
    int CodeBlocks,
    int InlineCodeSpans,
    int ExampleMarkers,
    int HedgeWords,
    int FirstPersonWords,
    int NumericTokens,
    int Exclamations,
    int Questions,
    int CasualMarkers)
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> HedgeLookup = Lookup(
        "maybe", "perhaps", "might", "may", "could", "possibly", "probably", "likely", "unlikely", "generally",
        "typically", "usually", "seems", "seem", "appears", "arguably", "somewhat", "depends", "depend",
        "uncertain", "unclear", "approximately", "roughly", "suggests", "guess");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CasualLookup = Lookup(
        "gonna", "wanna", "gotta", "yeah", "yep", "nope", "hey", "lol", "kinda", "sorta", "cool", "awesome",
        "stuff", "ok", "okay", "btw", "omg", "haha", "guys", "dude", "super", "boom", "bucks", "man", "neat");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FirstPersonLookup = Lookup(
        "i", "me", "my", "mine", "myself");

    /// <summary>Extracts the features of <paramref name="text"/>.</summary>
    public static TextFeatures Extract(ReadOnlySpan<char> text)
    {
        int words = 0, listLines = 0, headingLines = 0, fenceLines = 0, backticks = 0, examples = 0;
        int hedges = 0, firstPerson = 0, numeric = 0, exclamations = 0, questions = 0, casual = 0;
        var inFence = false;

        foreach (var line in text.EnumerateLines())
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                fenceLines++;
                inFence = !inFence;
                continue;
            }

            var marker = ListMarkerLength(trimmed);
            var body = trimmed[marker..];
            var lineWords = 0;
            ReadOnlySpan<char> previous = default;
            var i = 0;
            while (i < body.Length)
            {
                var ch = body[i];
                if (!char.IsLetterOrDigit(ch))
                {
                    // Code is counted for length only: '#' comments, '!' and '?' inside code say nothing about style.
                    if (!inFence)
                    {
                        switch (ch)
                        {
                            case '!': exclamations++; break;
                            case '?': questions++; break;
                            case '`': backticks++; break;
                        }
                    }

                    i++;
                    continue;
                }

                var start = i;
                var hasDigit = false;
                var hasApostrophe = false;
                while (i < body.Length)
                {
                    var c = body[i];
                    if (char.IsLetterOrDigit(c))
                    {
                        hasDigit |= char.IsAsciiDigit(c);
                        i++;
                    }
                    else if ((c == '\'' || c == '\u2019') && i + 1 < body.Length && char.IsLetter(body[i + 1]))
                    {
                        hasApostrophe = true;
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                var word = body[start..i];
                lineWords++;
                if (inFence)
                {
                    continue;
                }

                if (hasDigit)
                {
                    numeric++;
                }
                else
                {
                    if (HedgeLookup.Contains(word))
                    {
                        hedges++;
                    }

                    if (FirstPersonLookup.Contains(word) || (hasApostrophe && word.Length > 2 && (word[0] == 'I' || word[0] == 'i') && !char.IsLetter(word[1])))
                    {
                        firstPerson++;
                    }

                    if (hasApostrophe || CasualLookup.Contains(word))
                    {
                        casual++;
                    }

                    if ((previous.Equals("for", StringComparison.OrdinalIgnoreCase)
                            && (word.Equals("example", StringComparison.OrdinalIgnoreCase) || word.Equals("instance", StringComparison.OrdinalIgnoreCase)))
                        || (previous.Equals("e", StringComparison.OrdinalIgnoreCase) && word.Equals("g", StringComparison.OrdinalIgnoreCase)))
                    {
                        examples++;
                    }
                }

                previous = word;
            }

            words += lineWords;
            if (inFence || trimmed.IsEmpty)
            {
                continue;
            }

            if (marker > 0)
            {
                listLines++;
            }
            else if (trimmed[0] == '#' || trimmed[0] == '|' || (trimmed[^1] == ':' && lineWords <= 6) || IsBoldLine(trimmed))
            {
                // Markdown headings, table rows, short "Label:" lines and whole-line bold all read as structure.
                headingLines++;
            }
        }

        return new TextFeatures(
            words, listLines, headingLines, (fenceLines + 1) / 2, backticks / 2, examples,
            hedges, firstPerson, numeric, exclamations, questions, casual);
    }

    /// <summary>Length of a leading list marker ("- ", "* ", "+ ", "• ", "12. ", "3) "), or 0.</summary>
    private static int ListMarkerLength(ReadOnlySpan<char> line)
    {
        if (line.Length >= 2 && line[0] is '-' or '*' or '+' or '\u2022' && line[1] == ' ')
        {
            return 2;
        }

        var digits = 0;
        while (digits < line.Length && digits < 3 && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits > 0 && line.Length > digits + 1 && line[digits] is '.' or ')' && line[digits + 1] == ' '
            ? digits + 2
            : 0;
    }

    private static bool IsBoldLine(ReadOnlySpan<char> line) =>
        line.Length > 4 && line.StartsWith("**", StringComparison.Ordinal) && line.EndsWith("**", StringComparison.Ordinal);

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] words) =>
        words.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
}

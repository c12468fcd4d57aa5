namespace PGenRM.Evaluation.Reports;

/// <summary>All rows of one dataset under one protocol.</summary>
public sealed record ProtocolReport
{
    /// <summary>Dataset name.</summary>
    public required string Dataset { get; init; }

    /// <summary>Protocol name.</summary>
    public required string Protocol { get; init; }

    /// <summary>Seeds evaluated.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Seen-user rows.</summary>
    public required IReadOnlyList<MethodRow> Seen { get; init; }

    /// <summary>Unseen-user (cold-start) rows.</summary>
    public required IReadOnlyList<MethodRow> ColdStart { get; init; }

    /// <summary>One line per seed describing its split.</summary>
    public required IReadOnlyList<string> Splits { get; init; }

    /// <summary>Mean training seconds per trainer.</summary>
    public required IReadOnlyDictionary<string, double> TrainSeconds { get; init; }

    /// <summary>What the loader skipped and why (for example rows whose answers differ only in white space).</summary>
    public IReadOnlyList<string> DatasetNotes { get; init; } = [];
}

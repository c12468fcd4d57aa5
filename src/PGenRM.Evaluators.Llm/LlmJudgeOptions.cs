namespace PGenRM.Evaluators.Llm;

/// <summary>How the judge samples chains from its model.</summary>
public sealed record LlmJudgeOptions
{
    /// <summary>Model name sent to the endpoint (and part of the cache key).</summary>
    public string Model { get; init; } = "judge";

    /// <summary>Sampling temperature (the paper's scaling uses 1.0).</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Most new tokens per chain (the release uses 3,072).</summary>
    public int MaxOutputTokens { get; init; } = 3072;

    /// <summary>History pairs per chain (the paper's h).</summary>
    public int H { get; init; } = HistorySelection.DefaultH;

    /// <summary>Most requests in flight to the model server from this judge (the tenant's concurrency limit).</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Seed of the per-sample response order (combined with user and query, so a request's orders are reproducible).</summary>
    public int Seed { get; init; } = 17;

    /// <summary>How long a judgment stays cached (per user state version, query and candidates).</summary>
    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first out-of-range option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("Model must be set.", nameof(Model));
        }

        if (!float.IsFinite(Temperature) || Temperature < 0 || Temperature > 2)
        {
            throw new ArgumentException($"Temperature must be 0–2, got {Temperature}.", nameof(Temperature));
        }

        if (MaxOutputTokens is < 16 or > 32768)
        {
            throw new ArgumentException($"MaxOutputTokens must be 16–32768, got {MaxOutputTokens}.", nameof(MaxOutputTokens));
        }

        if (H is < 0 or > 16)
        {
            throw new ArgumentException($"H must be 0–16, got {H}.", nameof(H));
        }

        if (MaxConcurrency is < 1 or > 1024)
        {
            throw new ArgumentException($"MaxConcurrency must be 1–1024, got {MaxConcurrency}.", nameof(MaxConcurrency));
        }
    }
}

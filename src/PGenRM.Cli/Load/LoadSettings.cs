using System.Globalization;

namespace PGenRM.Cli.Load;

/// <summary>
/// What one `pgenrm load` run does. Bounded: it stops after <see cref="Duration"/> or after <see cref="Requests"/>
/// requests, exactly one of which is set.
/// </summary>
internal sealed record LoadSettings(
    Uri Server,
    string Key,
    int Users,
    int Concurrency,
    TimeSpan? Duration,
    long? Requests,
    IReadOnlyDictionary<RequestKind, double> Mix,
    int Candidates,
    double RepeatTexts,
    int Seed,
    TimeSpan Timeout)
{
    /// <summary>Longest run --duration allows (it is a loopback benchmark, not a soak test).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>Longest --timeout allows.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The --mix names, in the order the report lists them.</summary>
    public static readonly IReadOnlyList<(string Name, RequestKind Kind)> KindNames =
    [
        ("feedback", RequestKind.Feedback),
        ("score", RequestKind.Score),
        ("compare", RequestKind.Compare),
        ("get_reward", RequestKind.GetReward),
    ];

    /// <summary>The --mix name of a kind.</summary>
    public static string NameOf(RequestKind kind) => KindNames.First(k => k.Kind == kind).Name;

    /// <summary>
    /// Parses --mix: comma-separated name=share (shares are non-negative numbers, normalised; at least one positive),
    /// e.g. "feedback=1,score=3". Kinds left out get 0.
    /// </summary>
    public static IReadOnlyDictionary<RequestKind, double> ParseMix(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("--mix is empty; give name=share pairs, e.g. feedback=1,score=3.", nameof(text));
        }

        var shares = KindNames.ToDictionary(k => k.Kind, _ => 0.0);
        var seen = new HashSet<RequestKind>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? part : part[..eq].Trim();
            var match = KindNames.Where(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                throw new ArgumentException($"--mix: unknown kind '{name}'; the kinds are {string.Join(", ", KindNames.Select(k => k.Name))}.", nameof(text));
            }

            if (eq < 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double share)
                || !double.IsFinite(share) || share < 0)
            {
                throw new ArgumentException($"--mix: '{part}' needs a share that is a non-negative number, e.g. {match[0].Name}=1.", nameof(text));
            }

            if (!seen.Add(match[0].Kind))
            {
                throw new ArgumentException($"--mix names '{match[0].Name}' twice.", nameof(text));
            }

            shares[match[0].Kind] = share;
        }

        double total = shares.Values.Sum();
        if (total <= 0)
        {
            throw new ArgumentException("--mix: at least one share must be positive.", nameof(text));
        }

        return shares.ToDictionary(p => p.Key, p => p.Value / total);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (Users is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"--users must be 1–1000000, got {Users}.", nameof(Users));
        }

        if (Concurrency is < 1 or > 1024)
        {
            throw new ArgumentException($"--concurrency must be 1–1024, got {Concurrency}.", nameof(Concurrency));
        }

        if (Duration is null == Requests is null)
        {
            throw new ArgumentException("Give exactly one of --duration and --requests, so that the run is bounded.", nameof(Duration));
        }

        if (Duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
        {
            throw new ArgumentException($"--duration must be above 0 and at most {MaxDuration.TotalSeconds:0} seconds, got {d.TotalSeconds.ToString(CultureInfo.InvariantCulture)}.", nameof(Duration));
        }

        if (Requests is < 1 or > 100_000_000)
        {
            throw new ArgumentException($"--requests must be 1–100000000, got {Requests}.", nameof(Requests));
        }

        if (Candidates is < 2 or > 256)
        {
            throw new ArgumentException($"--candidates must be 2–256, got {Candidates}.", nameof(Candidates));
        }

        if (!(RepeatTexts is >= 0 and <= 1))
        {
            throw new ArgumentException($"--repeat-texts must be a fraction in [0, 1], got {RepeatTexts.ToString(CultureInfo.InvariantCulture)}.", nameof(RepeatTexts));
        }

        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
        {
            throw new ArgumentException($"--timeout must be above 0 and at most 600 seconds, got {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}.", nameof(Timeout));
        }

        if (Mix.Count == 0 || Mix.Values.Sum() <= 0)
        {
            throw new ArgumentException("--mix: at least one share must be positive.", nameof(Mix));
        }
    }
}

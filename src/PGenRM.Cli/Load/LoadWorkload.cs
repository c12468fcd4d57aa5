using System.Globalization;

namespace PGenRM.Cli.Load;

/// <summary>
/// The texts and request bodies of a run. A request uses the fixed pool (texts the service has seen, so its encoder
/// cache answers) with probability --repeat-texts, else texts made new by a run tag and a counter (the encoder runs).
/// Deterministic given the seed, apart from the run tag that keeps a rerun's texts and feedback ids new.
/// </summary>
internal sealed class LoadWorkload
{
    private const int PoolQueries = 8;

    private static readonly string[] Tasks =
    [
        "reverse a list", "read a file line by line", "sort a dictionary by value", "parse a date", "retry an HTTP call",
        "speed up a slow query", "start running", "learn a new language", "write a cover letter", "cook rice",
    ];

    private static readonly string[] Contexts = ["in Python", "in C#", "in SQL", "at home", "as a beginner", "on a budget", "quickly", "for a team"];

    private static readonly string[] Direct =
    [
        "Do it in one step: {0} with the standard library call and check the result.",
        "Short answer: {0} with the built-in helper; it is one line.",
        "Use the simplest tool that works to {0}, then measure it.",
        "Three steps to {0}: pick the tool, run it on a small case, then on the real one.",
    ];

    private static readonly string[] Verbose =
    [
        "Great question! There are many ways to {0}, and the best one really depends on your situation, so let us explore them together.",
        "To {0} you should first think carefully about your needs, your constraints and your goals; everyone is different.",
        "It is hard to say how to {0} without more information, and there are trade-offs whichever way you go.",
        "Many people wonder how to {0}. It is a journey, and it is worth reading widely before you begin.",
    ];

    private readonly string _runTag;
    private readonly int _candidates;
    private readonly double _repeat;
    private readonly int _users;
    private readonly (string Query, string[] Responses)[] _pool;
    private long _fresh;
    private long _feedbackIds;

    public LoadWorkload(LoadSettings settings, string runTag)
    {
        _runTag = runTag;
        _candidates = settings.Candidates;
        _repeat = settings.RepeatTexts;
        _users = settings.Users;
        var random = new Random(settings.Seed);
        _pool = [.. Enumerable.Range(0, PoolQueries).Select(i => MakeQuery(random, $"p{i}", Math.Max(2, _candidates)))];
    }

    /// <summary>The user a request is for: one of --users, "load-0" … "load-{N-1}".</summary>
    public string User(Random random) => "load-" + random.Next(_users).ToString(CultureInfo.InvariantCulture);

    /// <summary>A query with <paramref name="count"/> candidate responses, from the pool or new.</summary>
    public (string Query, string[] Responses) Texts(Random random, int count)
    {
        if (random.NextDouble() < _repeat)
        {
            var (query, responses) = _pool[random.Next(_pool.Length)];
            return (query, responses[..count]);
        }

        string tag = _runTag + "-" + Interlocked.Increment(ref _fresh).ToString(CultureInfo.InvariantCulture);
        return MakeQuery(random, tag, count);
    }

    /// <summary>The body and path of one request of <paramref name="kind"/>; the tenant comes from the key.</summary>
    public (string Path, object Body) Request(RequestKind kind, string tenant, Random random)
    {
        string user = User(random);
        string userPath = $"/v1/tenants/{Uri.EscapeDataString(tenant)}/users/{Uri.EscapeDataString(user)}";
        switch (kind)
        {
            case RequestKind.Feedback:
            {
                var (query, responses) = Texts(random, 2);
                string id = _runTag + "-f" + Interlocked.Increment(ref _feedbackIds).ToString(CultureInfo.InvariantCulture);
                // Most users prefer the direct answer (index 0 is always direct), a few the verbose one, so that users differ.
                bool flip = random.NextDouble() < 0.2;
                return (userPath + "/feedback", new { id, query, chosen = responses[flip ? 1 : 0], rejected = responses[flip ? 0 : 1] });
            }

            case RequestKind.Score:
            {
                var (query, responses) = Texts(random, _candidates);
                return (userPath + "/score", new { query, candidates = responses });
            }

            case RequestKind.Compare:
            {
                var (query, responses) = Texts(random, 2);
                return (userPath + "/compare", new { query, candidates = responses });
            }

            case RequestKind.GetReward:
            {
                var (query, responses) = Texts(random, _candidates);
                return ("/get_reward", new { query = responses.Select(r => query + "\n\nAssistant: " + r).ToArray(), user_id = user });
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown request kind");
        }
    }

    // Candidates alternate direct and verbose answers, so every request has a clear preference for a user to learn.
    private static (string Query, string[] Responses) MakeQuery(Random random, string tag, int count)
    {
        string task = Tasks[random.Next(Tasks.Length)];
        string query = $"How do I {task} {Contexts[random.Next(Contexts.Length)]}? ({tag})";
        var responses = new string[count];
        for (int i = 0; i < count; i++)
        {
            string[] templates = i % 2 == 0 ? Direct : Verbose;
            responses[i] = string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], task) + $" [{tag}.{i}]";
        }

        return (query, responses);
    }
}

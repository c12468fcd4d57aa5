using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace PGenRM.Evaluation.Data;

/// <summary>
/// The in-memory form every evaluator consumes: prompts, items, and per-user judgments, either pairwise
/// (<see cref="Pairs"/>) or per item (<see cref="Ratings"/>; turn them into pairs with <see cref="RatingPairing"/>
/// under the chosen protocol). The constructor checks referential integrity, so a dataset that exists is consistent.
/// </summary>
public sealed class PreferenceDataset
{
    /// <summary>Assembles and validates a dataset.</summary>
    /// <param name="name">Short name used in reports, e.g. <c>polis</c>.</param>
    /// <param name="prompts">Prompts; ids must be unique.</param>
    /// <param name="items">Items; ids must be unique and each must name an existing prompt.</param>
    /// <param name="pairs">Pairwise judgments; both items must exist, differ, and belong to the pair's prompt.</param>
    /// <param name="ratings">Per-item judgments; the item must exist and belong to the rating's prompt; at most one per (user, item).</param>
    /// <param name="statedPreferences">Users' own descriptions of what they want (user id → text), where the source has them.</param>
    /// <param name="notes">Free-text remarks for <see cref="Describe"/>: what was skipped or dropped, and why.</param>
    /// <exception cref="DatasetFormatException">A reference does not resolve, an id repeats, or a pair compares an item with itself.</exception>
    public PreferenceDataset(
        string name,
        IEnumerable<PromptRecord> prompts,
        IEnumerable<ItemRecord> items,
        IEnumerable<PairJudgment>? pairs = null,
        IEnumerable<RatingJudgment>? ratings = null,
        IReadOnlyDictionary<string, string>? statedPreferences = null,
        IEnumerable<string>? notes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(items);

        Name = name;
        Prompts = Index(prompts, p => p.Id, "prompt");
        Items = Index(items, i => i.Id, "item");
        Pairs = Array.AsReadOnly((pairs ?? []).ToArray());
        Ratings = Array.AsReadOnly((ratings ?? []).ToArray());
        StatedPreferences = Sorted(new Dictionary<string, string>(statedPreferences ?? new Dictionary<string, string>(), StringComparer.Ordinal));
        Notes = Array.AsReadOnly((notes ?? []).ToArray());

        Validate();

        UserIds = Array.AsReadOnly(Pairs.Select(p => p.UserId)
            .Concat(Ratings.Select(r => r.UserId))
            .Concat(StatedPreferences.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray());
    }

    /// <summary>Short name used in reports.</summary>
    public string Name { get; }

    /// <summary>Prompts by id; enumerates in ordinal id order.</summary>
    public IReadOnlyDictionary<string, PromptRecord> Prompts { get; }

    /// <summary>Items by id; enumerates in ordinal id order, so seeded splits over it are reproducible.</summary>
    public IReadOnlyDictionary<string, ItemRecord> Items { get; }

    /// <summary>Pairwise judgments in source order.</summary>
    public IReadOnlyList<PairJudgment> Pairs { get; }

    /// <summary>Per-item judgments in source order.</summary>
    public IReadOnlyList<RatingJudgment> Ratings { get; }

    /// <summary>
    /// Users' own free-text statements of what they want (GSC generation users' answers). Empty for sources without them.
    /// Never contains rating explanations: those describe a specific judgment and would leak its label. Ordinal user order.
    /// </summary>
    public IReadOnlyDictionary<string, string> StatedPreferences { get; }

    /// <summary>Every user with at least one judgment or stated preference, sorted ordinally.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>What the loader skipped or dropped, and why (also printed by <see cref="Describe"/>).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>A multi-line summary with counts, for logs and reports.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"{Name}: {Prompts.Count:N0} prompts, {Items.Count:N0} items, {UserIds.Count:N0} users, ");
        text.Append(inv, $"{Pairs.Count:N0} pairs, {Ratings.Count:N0} ratings, {StatedPreferences.Count:N0} stated preferences");
        text.AppendLine();

        var perUser = Pairs.Select(p => p.UserId).Concat(Ratings.Select(r => r.UserId))
            .GroupBy(u => u, StringComparer.Ordinal)
            .Select(g => g.Count())
            .Order()
            .ToArray();
        if (perUser.Length > 0)
        {
            text.Append(inv, $"  judgments per user: min {perUser[0]:N0}, median {perUser[perUser.Length / 2]:N0}, max {perUser[^1]:N0}");
            text.AppendLine();
        }

        if (Ratings.Count > 0)
        {
            var histogram = Ratings.GroupBy(r => r.Value).OrderBy(g => g.Key)
                .Select(g => string.Create(inv, $"{g.Key:0.###}: {g.Count():N0}"));
            text.Append("  rating values: ").AppendJoin(", ", histogram).AppendLine();
        }

        foreach (var note in Notes)
        {
            text.Append("  note: ").AppendLine(note);
        }

        return text.ToString();
    }

    private static ReadOnlyDictionary<string, T> Index<T>(IEnumerable<T> records, Func<T, string> id, string kind)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var key = id(record);
            if (string.IsNullOrEmpty(key))
            {
                throw new DatasetFormatException($"a {kind} has an empty id");
            }

            if (!index.TryAdd(key, record))
            {
                throw new DatasetFormatException($"{kind} id '{key}' occurs more than once");
            }
        }

        return Sorted(index);
    }

    private static ReadOnlyDictionary<string, T> Sorted<T>(Dictionary<string, T> index)
    {
        // Ordinal key order, not insertion or hash order: a seeded split that walks Keys must pick the same items in every
        // process, whatever order the loader produced them in.
        var ordered = new OrderedDictionary<string, T>(index.Count, StringComparer.Ordinal);
        foreach (var key in index.Keys.Order(StringComparer.Ordinal))
        {
            ordered.Add(key, index[key]);
        }

        return new ReadOnlyDictionary<string, T>(ordered);
    }

    private void Validate()
    {
        foreach (var item in Items.Values)
        {
            if (!Prompts.ContainsKey(item.PromptId))
            {
                throw new DatasetFormatException($"{Name}: item '{item.Id}' refers to missing prompt '{item.PromptId}'");
            }
        }

        for (var i = 0; i < Pairs.Count; i++)
        {
            var pair = Pairs[i];
            if (string.IsNullOrEmpty(pair.UserId))
            {
                throw new DatasetFormatException($"{Name}: pair {i} has an empty user id");
            }

            if (string.Equals(pair.ChosenId, pair.RejectedId, StringComparison.Ordinal))
            {
                throw new DatasetFormatException($"{Name}: pair {i} of user '{pair.UserId}' compares item '{pair.ChosenId}' with itself");
            }

            RequireItem(pair.ChosenId, pair.PromptId, $"pair {i} of user '{pair.UserId}'");
            RequireItem(pair.RejectedId, pair.PromptId, $"pair {i} of user '{pair.UserId}'");
        }

        var rated = new HashSet<(string User, string Item)>();
        for (var i = 0; i < Ratings.Count; i++)
        {
            var rating = Ratings[i];
            if (string.IsNullOrEmpty(rating.UserId))
            {
                throw new DatasetFormatException($"{Name}: rating {i} has an empty user id");
            }

            if (!double.IsFinite(rating.Value))
            {
                throw new DatasetFormatException($"{Name}: rating {i} of user '{rating.UserId}' has a non-finite value");
            }

            RequireItem(rating.ItemId, rating.PromptId, $"rating {i} of user '{rating.UserId}'");
            if (!rated.Add((rating.UserId, rating.ItemId)))
            {
                throw new DatasetFormatException($"{Name}: user '{rating.UserId}' rates item '{rating.ItemId}' more than once");
            }
        }
    }

    private void RequireItem(string itemId, string promptId, string where)
    {
        if (!Items.TryGetValue(itemId, out var item))
        {
            throw new DatasetFormatException($"{Name}: {where} refers to missing item '{itemId}'");
        }

        if (!string.Equals(item.PromptId, promptId, StringComparison.Ordinal))
        {
            throw new DatasetFormatException(
                $"{Name}: {where} says prompt '{promptId}' but item '{itemId}' belongs to prompt '{item.PromptId}'");
        }
    }
}

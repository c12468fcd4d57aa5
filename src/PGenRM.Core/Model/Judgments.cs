namespace PGenRM.Core.Model;

/// <summary>Per-item judgments from pairs: each pair counts +1 for its chosen item and −1 for its rejected one.</summary>
public static class Judgments
{
    /// <summary>Item id → mean sign in [−1, 1] over the pairs that involve it.</summary>
    public static Dictionary<string, double> FromPairs(IEnumerable<(string Chosen, string Rejected)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var (chosen, rejected) in pairs)
        {
            Add(chosen, 1);
            Add(rejected, -1);
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count, StringComparer.Ordinal);

        void Add(string id, double sign)
        {
            sums.TryGetValue(id, out var s);
            sums[id] = (s.Sum + sign, s.Count + 1);
        }
    }
}

namespace PGenRM.Core.Model;

/// <summary>
/// The members of one prototype that neighbour search runs over (the prototype grain holds a bounded reservoir
/// of them). Answers "the n nearest members to this vector, excluding this user".
/// </summary>
public sealed class NeighbourPool
{
    private readonly List<Member> _members = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Number of members.</summary>
    public int Count => _members.Count;

    /// <summary>Adds or replaces a member.</summary>
    /// <param name="userId">Member id.</param>
    /// <param name="key">Normalised deviation vector the similarity is computed on.</param>
    /// <param name="scheme">The member's scheme θ.</param>
    /// <param name="judgments">The member's actual judgments (item id → mean sign).</param>
    public void Upsert(string userId, double[] key, double[] scheme, IReadOnlyDictionary<string, double> judgments)
    {
        var member = new Member(userId, key, scheme, judgments);
        if (_index.TryGetValue(userId, out int i))
        {
            _members[i] = member;
        }
        else
        {
            _index[userId] = _members.Count;
            _members.Add(member);
        }
    }

    /// <summary>Removes a member; returns whether it was present.</summary>
    public bool Remove(string userId)
    {
        if (!_index.Remove(userId, out int i))
        {
            return false;
        }

        int last = _members.Count - 1;
        if (i != last)
        {
            _members[i] = _members[last];
            _index[_members[i].UserId] = i;
        }

        _members.RemoveAt(last);
        return true;
    }

    /// <summary>
    /// Up to <paramref name="n"/> members most similar (cosine) to <paramref name="key"/>, most similar first,
    /// never including <paramref name="excludeUserId"/>. Asking for more than there are returns them all.
    /// Ties are broken by user id so the answer is deterministic.
    /// </summary>
    public IReadOnlyList<Neighbour> Nearest(string excludeUserId, ReadOnlySpan<double> key, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var similarities = new Dictionary<string, double>(_members.Count, StringComparer.Ordinal);
        foreach (var member in _members)
        {
            if (!string.Equals(member.UserId, excludeUserId, StringComparison.Ordinal))
            {
                similarities[member.UserId] = VectorSimilarity.Cosine(member.Key, key);
            }
        }

        return SimilarityRanking.Rank(_members.Where(m => similarities.ContainsKey(m.UserId)), m => m.UserId, m => similarities[m.UserId], n)
            .Select(s => new Neighbour(s.Item.UserId, s.Item.Scheme, s.Similarity, s.Item.Judgments))
            .ToList();
    }

    private sealed record Member(string UserId, double[] Key, double[] Scheme, IReadOnlyDictionary<string, double> Judgments);
}

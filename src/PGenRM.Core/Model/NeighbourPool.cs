using System.Numerics.Tensors;

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
        var scored = new List<(double Similarity, Member Member)>(_members.Count);
        foreach (var member in _members)
        {
            if (string.Equals(member.UserId, excludeUserId, StringComparison.Ordinal))
            {
                continue;
            }

            double similarity = member.Key.Length == key.Length && key.Length > 0
                ? TensorPrimitives.CosineSimilarity(member.Key.AsSpan(), key)
                : 0;
            scored.Add((double.IsNaN(similarity) ? 0 : similarity, member));
        }

        return scored
            .OrderByDescending(s => s.Similarity)
            .ThenBy(s => s.Member.UserId, StringComparer.Ordinal)
            .Take(n)
            .Select(s => new Neighbour(s.Member.UserId, s.Member.Scheme, s.Similarity, s.Member.Judgments))
            .ToList();
    }

    private sealed record Member(string UserId, double[] Key, double[] Scheme, IReadOnlyDictionary<string, double> Judgments);
}

namespace PGenRM.Core.Model;

/// <summary>
/// The agreement typical of a neighbour pool, from its members' judgment sketches alone: the evidence-weighted mean
/// cosine over all pairs of distinct members, Σ sᵢⱼ·Eᵢⱼ / Σ Eᵢⱼ with Eᵢⱼ = ‖Sᵢ‖·‖Sⱼ‖ / length
/// (<see cref="JudgmentSketch.Evidence(ReadOnlySpan{double}, ReadOnlySpan{double})"/>), i.e. the members' net agreement
/// count over the judging behind it. Computed in one pass from the sum of the sketches
/// (Σᵢ≠ⱼ Sᵢ·Sⱼ = ‖Σ S‖² − Σ ‖S‖²), so the cost is linear in the pool.
/// </summary>
/// <param name="Mean">The evidence-weighted mean cosine a0; NaN when no two members have judged anything.</param>
/// <param name="Evidence">Σ Eᵢⱼ over the unordered member pairs i &lt; j (0 when there is none).</param>
/// <param name="Resolution">The sketch cosine's noise level for unrelated users, 1/√length (1 when no sketch).</param>
public sealed record PoolAgreement(double Mean, double Evidence, double Resolution)
{
    /// <summary>No evidence: the rule falls back to the paper's equal mean.</summary>
    public static PoolAgreement None { get; } = new(double.NaN, 0, 1);

    /// <summary>Whether any pair of members has judging behind it.</summary>
    public bool HasEvidence => Evidence > 0 && double.IsFinite(Mean);

    /// <summary>
    /// The pool agreement of the distinct neighbours (by user id) that carry a sketch (<see cref="Neighbour.Sketch"/>);
    /// sketches of another length than the first are ignored. <see cref="None"/> when fewer than two have one.
    /// </summary>
    public static PoolAgreement Of(IEnumerable<Neighbour> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        double[]? sum = null;
        double norms = 0, squares = 0;
        int count = 0;
        foreach (var neighbour in neighbours)
        {
            if (neighbour.Sketch is not { Length: > 0 } sketch || (sum is not null && sketch.Length != sum.Length) || !seen.Add(neighbour.UserId))
            {
                continue;
            }

            sum ??= new double[sketch.Length];
            double square = 0;
            for (int i = 0; i < sketch.Length; i++)
            {
                sum[i] += sketch[i];
                square += (double)sketch[i] * sketch[i];
            }

            norms += Math.Sqrt(square);
            squares += square;
            count++;
        }

        if (sum is null || count < 2)
        {
            return None;
        }

        double total = 0;
        foreach (double x in sum)
        {
            total += x * x;
        }

        double cross = total - squares;
        double evidence = (norms * norms) - squares;
        return evidence <= 0
            ? None
            : new PoolAgreement(cross / evidence, evidence / (2.0 * sum.Length), 1 / Math.Sqrt(sum.Length));
    }
}

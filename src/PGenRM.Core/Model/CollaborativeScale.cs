namespace PGenRM.Core.Model;

/// <summary>
/// The prior scale of the users' collaborative stage (p and δ) as one choice per tenant: the scale of
/// <see cref="HybridModelOptions.PriorScaleGrid"/> with the best criterion summed over the tenant's users (type-II
/// maximum likelihood of one variance for everyone), instead of each user's own choice. A user's own pick among nine
/// scales on a few dozen pairs, most of them barely informative about how it relates to other people's judgments, is
/// itself fitted to noise: on the development seeds 100–119 the tenant's scale lifted TL;DR shared content from 67.9 to
/// 70.3 % (log-loss 0.672 → 0.576), GSC shared from 63.0 to 63.7 % and DSP's unseen users at k = 5 from 70.5 to 74.6 %,
/// and left DSP's seen users where they were (docs/EVALUATION.md, issue 11, session 7). The content stage keeps each user's own scale:
/// pooled there it cost GSC's new content, whose gain comes from the half of its users with a stated preference.
/// </summary>
public static class CollaborativeScale
{
    /// <summary>
    /// A user's criterion at each scale of <paramref name="grid"/> (in grid order) from the collaborative stage's search
    /// (<see cref="SchemeLearner.FitUser"/>), or empty when the stage did not run (no pair whose items others judged).
    /// </summary>
    public static double[] Criteria(IReadOnlyList<double> grid, IReadOnlyDictionary<double, double> byScale)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(byScale);
        if (byScale.Count == 0)
        {
            return [];
        }

        var criteria = new double[grid.Count];
        for (int i = 0; i < grid.Count; i++)
        {
            criteria[i] = byScale.TryGetValue(grid[i], out double c) ? c : double.NaN;
        }

        return criteria;
    }

    /// <summary>
    /// The tenant's scale: the grid scale whose weighted sum of the users' criteria is largest (ties to the stronger
    /// scale); null when no user has criteria for the whole grid (a fresh tenant: each user chooses its own). A user's
    /// criteria count only when they cover the grid (<paramref name="grid"/>'s length, all finite).
    /// </summary>
    /// <param name="grid">The grid the criteria were computed over.</param>
    /// <param name="users">Each user's criteria (grid order) and weight (1, or how many users a sample stands for).</param>
    public static double? Tenant(IReadOnlyList<double> grid, IEnumerable<(IReadOnlyList<float> Criteria, double Weight)> users)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(users);
        var sums = new double[grid.Count];
        bool any = false;
        foreach (var (criteria, weight) in users)
        {
            if (criteria.Count != grid.Count || !(weight > 0) || criteria.Any(c => !float.IsFinite(c)))
            {
                continue;
            }

            for (int i = 0; i < grid.Count; i++)
            {
                sums[i] += weight * criteria[i];
            }

            any = true;
        }

        if (!any)
        {
            return null;
        }

        int best = -1;
        foreach (int i in Enumerable.Range(0, grid.Count).OrderByDescending(i => grid[i]))
        {
            if (best < 0 || sums[i] > sums[best] + 1e-9)
            {
                best = i;
            }
        }

        return grid[best];
    }
}

using System.Globalization;

namespace PGenRM.Core.Chains;

/// <summary>The invariants of an <see cref="EvaluationChain"/>, checked before writing and after reading one.</summary>
internal static class ChainInvariants
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The first violated invariant of a chain, or null. Shared by writing and reading.</summary>
    public static string? FindProblem(EvaluationChain chain)
    {
        if (chain.Rubric is null || chain.Responses is null || chain.Scaling is null || chain.Scaling.Neighbours is null
            || chain.Persona is null || chain.ScenarioId is null || chain.ScenarioName is null
            || chain.ModelVersion is null || chain.CriteriaVersion is null)
        {
            return "a required member is null.";
        }

        if (chain.Rubric.Count > 0)
        {
            var sum = 0;
            foreach (var item in chain.Rubric)
            {
                if (item is null || item.WeightPercent < 0)
                {
                    return "rubric weights must be non-negative integers.";
                }

                sum += item.WeightPercent;
            }

            if (sum != 100)
            {
                return string.Create(Inv, $"rubric weights sum to {sum}, expected 100.");
            }
        }

        if (chain.Responses.Count == 0)
        {
            return "the chain has no responses.";
        }

        for (var j = 0; j < chain.Responses.Count; j++)
        {
            var r = chain.Responses[j];
            if (r is null || r.Index != j)
            {
                return string.Create(Inv, $"response at position {j} has index {r?.Index}; responses must be in candidate order.");
            }

            if (r.CriterionScores is null || r.CriterionScores.Count != chain.Rubric.Count)
            {
                return string.Create(Inv, $"response {j} has {r.CriterionScores?.Count ?? 0} criterion scores for {chain.Rubric.Count} rubric items.");
            }

            if (!double.IsFinite(r.FinalScore) || !double.IsFinite(r.Reward) || r.CriterionScores.Any(s => !double.IsFinite(s)))
            {
                return string.Create(Inv, $"response {j} has a score that is not a finite number.");
            }
        }

        if (chain.PreferredIndex < 0 || chain.PreferredIndex >= chain.Responses.Count)
        {
            return string.Create(Inv, $"preferred index {chain.PreferredIndex} is outside 0..{chain.Responses.Count - 1}.");
        }

        var s = chain.Scaling;
        return double.IsFinite(s.Agreement) && double.IsFinite(s.ContentShare) && double.IsFinite(s.CollaborativeShare)
            ? null
            : "the scaling trace has a share that is not a finite number.";
    }
}

using PGenRM.Core.Chains;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>Core's <see cref="EvaluationChain"/> as the wire record <see cref="ChainRecord"/> the scoring worker returns.</summary>
public static class ChainRecords
{
    /// <summary>The chain, field for field.</summary>
    public static ChainRecord From(EvaluationChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var s = chain.Scaling;
        return new ChainRecord(
            chain.Persona,
            chain.ScenarioId,
            chain.ScenarioName,
            chain.Rubric.Select(r => new ChainRubricItem(r.CriterionId, r.Name, r.WeightPercent, r.Description, r.IsNegativePole, r.BaseCriterionId)).ToList(),
            chain.Responses.Select(r => new ChainResponse(r.Index, r.CriterionScores.ToArray(), r.FinalScore, r.Reward)).ToList(),
            chain.PreferredIndex,
            new ChainScaling(s.M, s.N, s.Neighbours.ToArray(), s.Agreement, s.ContentShare, s.CollaborativeShare, s.ColdStart),
            chain.ModelVersion,
            chain.CriteriaVersion);
    }
}

using PGenRM.Core.Chains;
using PGenRM.Core.Evaluator;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Host.Api;

/// <summary>
/// A user's profile as the API shows it: counts and prototype from the grain, and per scenario the persona and rubric
/// the evaluator would write for this user's scheme (the same <see cref="ChainBuilder"/> that writes score chains).
/// </summary>
internal static class ProfileView
{
    /// <summary>Builds the JSON object.</summary>
    public static object Build(string user, UserProfile profile, CompactEvaluator evaluator)
    {
        var features = evaluator.Features;
        var builder = new ChainBuilder(features.Bank);
        var scenarios = features.Scenarios.Scenarios;
        var trace = new ScalingTrace(1, 0, [], 1, 1, 0, profile.IsColdStart);
        var perScenario = new List<object>(scenarios.Count);
        bool hasScheme = profile.Scheme.Length >= features.Dimension;
        for (int s = 0; s < scenarios.Count; s++)
        {
            var onehot = new float[scenarios.Count];
            onehot[s] = 1;
            double[] weights = hasScheme ? features.EffectiveCriterionWeights(profile.Scheme, onehot) : new double[features.Bank.Count];
            // One neutral placeholder response: Build needs candidates, the persona and rubric depend only on the weights.
            var chain = builder.Build(scenarios[s], weights, [new float[features.Bank.Count]], [0.0], trace, evaluator.ModelVersion);
            perScenario.Add(new
            {
                id = chain.ScenarioId,
                name = chain.ScenarioName,
                persona = chain.Persona,
                rubric = chain.Rubric.Select(r => new { criterion = r.CriterionId, name = r.Name, weight = r.WeightPercent, description = r.Description }),
            });
        }

        return new
        {
            user,
            feedbackCount = profile.FeedbackCount,
            historyCount = profile.HistoryCount,
            foldedCount = profile.FoldedCount,
            hasStatedPreference = profile.HasStatedPreference,
            coldStart = profile.IsColdStart,
            prototype = profile.Prototype,
            priorScale = profile.PriorScale,
            modelVersion = profile.ModelVersion ?? evaluator.ModelVersion,
            criteriaBankVersion = features.Bank.Version,
            scenarios = perScenario,
        };
    }

    /// <summary>Whether the grain holds nothing for this user (never given feedback or a stated preference).</summary>
    public static bool IsUnknown(UserProfile profile) => profile.FeedbackCount == 0 && !profile.HasStatedPreference;
}

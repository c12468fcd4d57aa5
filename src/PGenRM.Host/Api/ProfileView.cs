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
    /// <summary>Builds the answer.</summary>
    public static Endpoints.ProfileResponse Build(string user, UserProfile profile, CompactEvaluator evaluator)
    {
        var features = evaluator.Features;
        var builder = new ChainBuilder(features.Bank);
        var scenarios = features.Scenarios.Scenarios;
        var trace = new ScalingTrace(1, 0, [], 1, 1, 0, profile.IsColdStart);
        var perScenario = new List<Endpoints.ScenarioView>(scenarios.Count);
        bool hasScheme = profile.Scheme.Length >= features.Dimension;
        for (int s = 0; s < scenarios.Count; s++)
        {
            var onehot = new float[scenarios.Count];
            onehot[s] = 1;
            double[] weights = hasScheme ? features.EffectiveCriterionWeights(profile.Scheme, onehot) : new double[features.Bank.Count];
            // One neutral placeholder response: Build needs candidates, the persona and rubric depend only on the weights.
            var chain = builder.Build(scenarios[s], weights, [new float[features.Bank.Count]], [0.0], trace, evaluator.ModelVersion);
            perScenario.Add(new Endpoints.ScenarioView(
                chain.ScenarioId,
                chain.ScenarioName,
                chain.Persona,
                chain.Rubric.Select(r => new Endpoints.RubricView(r.CriterionId, r.Name, r.WeightPercent, r.Description)).ToList()));
        }

        return new Endpoints.ProfileResponse(
            user,
            profile.FeedbackCount,
            profile.HistoryCount,
            profile.FoldedCount,
            profile.HasStatedPreference,
            profile.IsColdStart,
            profile.Prototype,
            profile.PriorScale,
            profile.CollaborativeScale,
            profile.ModelVersion ?? evaluator.ModelVersion,
            features.Bank.Version,
            perScenario);
    }

    /// <summary>Whether the grain holds nothing for this user (never given feedback or a stated preference).</summary>
    public static bool IsUnknown(UserProfile profile) => profile.FeedbackCount == 0 && !profile.HasStatedPreference;
}

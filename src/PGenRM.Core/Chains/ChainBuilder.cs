using System.Globalization;
using System.Text;
using PGenRM.Core.Criteria;
using PGenRM.Core.Scenarios;

namespace PGenRM.Core.Chains;

/// <summary>
/// Renders the compact evaluator's numbers as the paper's evaluation chain: picks the rubric, converts
/// weights to percentages, maps standardised scores to 1–10, and writes the persona. Pure and deterministic.
/// </summary>
public sealed class ChainBuilder
{
    /// <summary>Default number of criteria in a rubric (the paper's examples use 4–7).</summary>
    public const int DefaultRubricSize = 5;

    /// <summary>Criteria named in the persona's first sentence.</summary>
    private const int PersonaLeadCount = 3;

    /// <summary>Creates a builder over <paramref name="bank"/>.</summary>
    /// <param name="bank">The criteria bank the weights and scores refer to.</param>
    /// <param name="rubricSize">Maximum number of criteria in a rubric (K), 1 to 100.</param>
    public ChainBuilder(CriteriaBank bank, int rubricSize = DefaultRubricSize)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentOutOfRangeException.ThrowIfLessThan(rubricSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rubricSize, 100);
        Bank = bank;
        RubricSize = rubricSize;
    }

    /// <summary>The criteria bank.</summary>
    public CriteriaBank Bank { get; }

    /// <summary>Maximum number of criteria in a rubric (K).</summary>
    public int RubricSize { get; }

    /// <summary>Builds the chain for one query's candidates.</summary>
    /// <param name="scenario">The query's dominant scenario.</param>
    /// <param name="criterionWeights">The user's signed effective weight per bank criterion for this scenario.
    /// The K largest |weights| form the rubric; a negative weight shows the criterion's negative pole, with a
    /// description that names that pole as preferred and the positive one as penalised. Zero weights
    /// are left out; if all are zero, the first K criteria get equal shares.</param>
    /// <param name="responseCriterionScores">Per response, its standardised scores from <see cref="CriteriaBank.Score(ReadOnlySpan{float}, ReadOnlySpan{float}, string)"/>.</param>
    /// <param name="rewards">Per response, the model's reward (content plus collaborative parts).</param>
    /// <param name="scaling">The scaling trace to carry.</param>
    /// <param name="modelVersion">Version of the scoring model.</param>
    /// <remarks>
    /// <para>The final score is 1 + 9·sigmoid(reward − mean reward of the candidates), not the rubric's weighted sum:
    /// the reward also holds the collaborative part (how similar users judged these very items) that no rubric can
    /// show, and the final scores must rank the responses exactly as the rewards do. The serialized rationale prints
    /// the rubric's weighted sum separately as the "rubric score". The mapping is strictly increasing while rewards
    /// stay within about ±36 of their mean, beyond which the sigmoid saturates in double precision.</para>
    /// <para>The preferred response is the one with the highest reward; ties go to the lowest index, the paper's
    /// scaling-script rule (a tie goes to response 1).</para>
    /// </remarks>
    public EvaluationChain Build(
        Scenario scenario,
        ReadOnlySpan<double> criterionWeights,
        IReadOnlyList<float[]> responseCriterionScores,
        ReadOnlySpan<double> rewards,
        ScalingTrace scaling,
        string modelVersion)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(responseCriterionScores);
        ArgumentNullException.ThrowIfNull(scaling);
        ArgumentNullException.ThrowIfNull(modelVersion);
        Validate(criterionWeights, responseCriterionScores, rewards);

        var selected = SelectCriteria(criterionWeights);
        var magnitudes = new double[selected.Length];
        for (var i = 0; i < selected.Length; i++)
        {
            magnitudes[i] = Math.Abs(criterionWeights[selected[i]]);
        }

        var percents = PercentAllocator.Allocate(magnitudes);
        var rubric = new RubricItem[selected.Length];
        for (var i = 0; i < selected.Length; i++)
        {
            var criterion = Bank.Criteria[selected[i]];
            rubric[i] = criterionWeights[selected[i]] < 0
                ? new RubricItem(RubricItem.NegativePolePrefix + criterion.Id, criterion.NegativePole, percents[i], NegativePoleDescription(criterion))
                : new RubricItem(criterion.Id, criterion.PositivePole, percents[i], criterion.Description);
        }

        var meanReward = 0.0;
        foreach (var r in rewards)
        {
            meanReward += r;
        }

        meanReward /= rewards.Length;
        var responses = new ResponseEvaluation[rewards.Length];
        var preferred = 0;
        for (var j = 0; j < rewards.Length; j++)
        {
            var scores = new double[selected.Length];
            for (var i = 0; i < selected.Length; i++)
            {
                var z = (double)responseCriterionScores[j][selected[i]];
                scores[i] = CriteriaBank.ToCriterionScale(rubric[i].IsNegativePole ? -z : z);
            }

            responses[j] = new ResponseEvaluation(j, scores, 1.0 + (9.0 * Sigmoid(rewards[j] - meanReward)), rewards[j]);
            if (rewards[j] > rewards[preferred])
            {
                preferred = j;
            }
        }

        var persona = RenderPersona(scenario.Name, rubric, anyWeight: magnitudes.Any(m => m > 0), scaling.ColdStart);
        return new EvaluationChain(persona, scenario.Id, scenario.Name, rubric, responses, preferred, scaling, modelVersion, Bank.Version);
    }

    /// <summary>
    /// The persona: one sentence with the three heaviest poles, one with the rest, one when the profile is a cold
    /// start. Built from the rubric only, so it is deterministic.
    /// </summary>
    internal static string RenderPersona(string scenarioName, IReadOnlyList<RubricItem> rubric, bool anyWeight, bool coldStart)
    {
        var scenario = scenarioName.ToLowerInvariant();
        var text = new StringBuilder();
        if (!anyWeight)
        {
            text.Append(CultureInfo.InvariantCulture, $"For {scenario} queries, no preference of this user is known yet, so the rubric weighs its criteria equally.");
        }
        else
        {
            var poles = rubric.Select(r => r.Name.ToLowerInvariant()).ToArray();
            text.Append(CultureInfo.InvariantCulture, $"For {scenario} queries, this user prefers {JoinWords(poles.Take(PersonaLeadCount))} answers.");
            if (poles.Length > PersonaLeadCount)
            {
                text.Append(CultureInfo.InvariantCulture, $" To a lesser degree they also favour answers that are {JoinWords(poles.Skip(PersonaLeadCount))}.");
            }
        }

        if (coldStart)
        {
            text.Append(" Few of the user's own judgments are known yet, so this leans on similar users.");
        }

        return text.ToString();
    }

    /// <summary>
    /// The rubric sentence of a criterion's negative pole. The bank's description is written from the positive pole
    /// ("whether the response is brief … rather than long …"), so under a negative weight it would describe the
    /// opposite of what the user wants; this names the preferred pole, says the positive one is penalised, and
    /// keeps the measured criterion for reference.
    /// </summary>
    internal static string NegativePoleDescription(Criterion criterion)
    {
        var preferred = criterion.NegativePole.ToLowerInvariant();
        var penalised = criterion.PositivePole.ToLowerInvariant();
        var measured = criterion.Description.TrimEnd('.');
        if (measured.Length > 0)
        {
            measured = char.ToLowerInvariant(measured[0]) + measured[1..];
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"Prefers {preferred} over {penalised} responses: a {penalised} response is penalised (scored in reverse on {measured}).");
    }

    private int[] SelectCriteria(ReadOnlySpan<double> weights)
    {
        var indices = new List<int>(weights.Length);
        for (var c = 0; c < weights.Length; c++)
        {
            if (weights[c] != 0.0)
            {
                indices.Add(c);
            }
        }

        if (indices.Count == 0)
        {
            return [.. Enumerable.Range(0, Math.Min(RubricSize, weights.Length))];
        }

        var magnitudes = weights.ToArray();
        return [.. indices.OrderByDescending(c => Math.Abs(magnitudes[c])).ThenBy(c => c).Take(RubricSize)];
    }

    private void Validate(ReadOnlySpan<double> weights, IReadOnlyList<float[]> scores, ReadOnlySpan<double> rewards)
    {
        if (weights.Length != Bank.Count)
        {
            throw new ArgumentException($"Expected {Bank.Count} criterion weights, got {weights.Length}.", nameof(weights));
        }

        foreach (var w in weights)
        {
            if (!double.IsFinite(w))
            {
                throw new ArgumentException($"Criterion weights must be finite (got {w}).", nameof(weights));
            }
        }

        if (rewards.Length == 0 || rewards.Length != scores.Count)
        {
            throw new ArgumentException(
                $"Need one reward per response and at least one response (got {rewards.Length} rewards for {scores.Count} score vectors).", nameof(rewards));
        }

        foreach (var r in rewards)
        {
            if (!double.IsFinite(r))
            {
                throw new ArgumentException($"Rewards must be finite (got {r}).", nameof(rewards));
            }
        }

        for (var j = 0; j < scores.Count; j++)
        {
            if (scores[j] is null || scores[j].Length != Bank.Count || scores[j].Any(s => !float.IsFinite(s)))
            {
                throw new ArgumentException($"Response {j} needs {Bank.Count} finite standardised scores.", nameof(scores));
            }
        }
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static string JoinWords(IEnumerable<string> words)
    {
        var list = words.ToList();
        return list.Count switch
        {
            0 => string.Empty,
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }
}

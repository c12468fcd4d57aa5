namespace PGenRM.Core.Scenarios;

/// <summary>The versioned content of a scenario set.</summary>
/// <param name="Version">Version label (for example <c>scenarios-v1</c>); change it when any scenario text changes.</param>
/// <param name="Scenarios">The scenarios, in a fixed order that defines the index of each weight.</param>
/// <param name="Temperature">Softmax temperature over cosine similarities. Cosines between a query and the
/// centroids typically differ by 0.05–0.2, so 0.05 gives a clear but not one-hot assignment.</param>
public sealed record ScenarioSetDefinition(
    string Version,
    IReadOnlyList<Scenario> Scenarios,
    double Temperature = ScenarioSetDefinition.DefaultTemperature)
{
    /// <summary>Default softmax temperature.</summary>
    public const double DefaultTemperature = 0.05;

    /// <summary>The built-in set <c>scenarios-v1</c>: advice, technical, creative, opinion, information, conversation.</summary>
    public static ScenarioSetDefinition Default { get; } = new("scenarios-v1", DefaultScenarios.All);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem found.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Version))
        {
            throw new ArgumentException("The scenario set definition needs a non-empty Version.", "definition");
        }

        if (Scenarios is null || Scenarios.Count == 0)
        {
            throw new ArgumentException("The scenario set definition needs at least one scenario.", "definition");
        }

        if (!(Temperature > 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentException($"Temperature must be a positive finite number (was {Temperature}).", "definition");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Scenarios)
        {
            if (s is null || string.IsNullOrWhiteSpace(s.Id) || string.IsNullOrWhiteSpace(s.Name))
            {
                throw new ArgumentException("Every scenario needs an id and a name.", "definition");
            }

            if (!ids.Add(s.Id))
            {
                throw new ArgumentException($"Scenario id '{s.Id}' is used twice.", "definition");
            }

            if (s.Descriptions is null || s.Descriptions.Count == 0 || s.Descriptions.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"Scenario '{s.Id}' needs non-empty description texts.", "definition");
            }
        }
    }
}

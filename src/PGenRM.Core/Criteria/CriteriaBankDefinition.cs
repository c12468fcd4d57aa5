namespace PGenRM.Core.Criteria;

/// <summary>
/// The versioned content of a criteria bank: criteria with their anchors, the calibration corpus and the
/// rank of the residual basis. A bank built from the same definition and encoder is always the same.
/// </summary>
/// <param name="Version">Version label stored in every chain (for example <c>criteria-v1</c>). Change it whenever
/// any criterion, anchor or calibration text changes, because scores are not comparable across versions.</param>
/// <param name="Criteria">The criteria, in a fixed order that defines the index of each score.</param>
/// <param name="Calibration">The calibration corpus (at least 3 samples).</param>
/// <param name="ResidualRank">Number of principal directions in <see cref="CriteriaBank.ResidualBasis"/> (0 disables it).</param>
public sealed record CriteriaBankDefinition(
    string Version,
    IReadOnlyList<Criterion> Criteria,
    IReadOnlyList<CalibrationSample> Calibration,
    int ResidualRank = CriteriaBankDefinition.DefaultResidualRank)
{
    /// <summary>Default rank of the residual basis.</summary>
    public const int DefaultResidualRank = 16;

    /// <summary>The built-in bank <c>criteria-v1</c>: 20 criteria and a 72-sample calibration corpus.</summary>
    public static CriteriaBankDefinition Default { get; } =
        new("criteria-v1", DefaultCriteria.All, DefaultCalibrationCorpus.Samples);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem found.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Version))
        {
            throw new ArgumentException("The criteria bank definition needs a non-empty Version.", "definition");
        }

        if (Criteria is null || Criteria.Count == 0)
        {
            throw new ArgumentException("The criteria bank definition needs at least one criterion.", "definition");
        }

        if (Calibration is null || Calibration.Count < 3)
        {
            throw new ArgumentException("The calibration corpus needs at least 3 samples to estimate a spread.", "definition");
        }

        if (ResidualRank < 0)
        {
            throw new ArgumentException($"ResidualRank must be ≥ 0 (was {ResidualRank}).", "definition");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Criteria)
        {
            if (c is null || !IsSlug(c.Id))
            {
                throw new ArgumentException(
                    $"Criterion id '{c?.Id}' is not a slug (lower-case letters, digits and '-', starting with a letter).", "definition");
            }

            if (!ids.Add(c.Id))
            {
                throw new ArgumentException($"Criterion id '{c.Id}' is used twice.", "definition");
            }

            if (string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.Description)
                || string.IsNullOrWhiteSpace(c.PositivePole) || string.IsNullOrWhiteSpace(c.NegativePole))
            {
                throw new ArgumentException($"Criterion '{c.Id}' needs a name, a description and both pole labels.", "definition");
            }

            if (c.PositiveAnchors is null || c.PositiveAnchors.Count == 0 || c.NegativeAnchors is null || c.NegativeAnchors.Count == 0
                || c.PositiveAnchors.Any(string.IsNullOrWhiteSpace) || c.NegativeAnchors.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"Criterion '{c.Id}' needs non-empty positive and negative anchor texts.", "definition");
            }
        }

        foreach (var s in Calibration)
        {
            if (s is null || string.IsNullOrWhiteSpace(s.Query) || string.IsNullOrWhiteSpace(s.Response))
            {
                throw new ArgumentException("Every calibration sample needs a non-empty query and response.", "definition");
            }
        }
    }

    private static bool IsSlug(string? id)
    {
        if (string.IsNullOrEmpty(id) || !char.IsAsciiLetterLower(id[0]))
        {
            return false;
        }

        foreach (var ch in id)
        {
            if (!char.IsAsciiLetterLower(ch) && !char.IsAsciiDigit(ch) && ch != '-')
            {
                return false;
            }
        }

        return true;
    }
}

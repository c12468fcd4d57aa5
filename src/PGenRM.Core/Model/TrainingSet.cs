namespace PGenRM.Core.Model;

/// <summary>
/// Feedback in index form for the offline trainer: items with their content features and content-derived
/// factor prior, users, and pairs. The service never builds one; it feeds the same learner one pair at a time.
/// </summary>
public sealed class TrainingSet
{
    private readonly List<string> _itemIds = [];
    private readonly Dictionary<string, int> _itemIndex = new(StringComparer.Ordinal);
    private readonly List<string> _userIds = [];
    private readonly Dictionary<string, int> _userIndex = new(StringComparer.Ordinal);

    /// <summary>Creates an empty set for content features of length <paramref name="contentPrecision"/>.Length.</summary>
    /// <param name="contentPrecision">Base prior precision per content dimension (user deviation from its prior).</param>
    /// <param name="factorDimension">F, the factor dimension (0 turns the factor interaction off).</param>
    public TrainingSet(double[] contentPrecision, int factorDimension)
    {
        ArgumentNullException.ThrowIfNull(contentPrecision);
        ContentPrecision = contentPrecision;
        FactorDimension = factorDimension;
    }

    /// <summary>Base prior precision of each content dimension.</summary>
    public double[] ContentPrecision { get; }

    /// <summary>D, the content feature length.</summary>
    public int ContentDimension => ContentPrecision.Length;

    /// <summary>F, the factor length.</summary>
    public int FactorDimension { get; }

    /// <summary>Item ids by index.</summary>
    public IReadOnlyList<string> ItemIds => _itemIds;

    /// <summary>Content features per item.</summary>
    public List<double[]> ItemContent { get; } = [];

    /// <summary>Content-derived factor prior u per item.</summary>
    public List<double[]> ItemFactorPrior { get; } = [];

    /// <summary>User ids by index.</summary>
    public IReadOnlyList<string> UserIds => _userIds;

    /// <summary>All pairs.</summary>
    public List<TrainingPair> Pairs { get; } = [];

    /// <summary>Stated-preference pseudo-observations per user index (content-space difference vectors).</summary>
    public Dictionary<int, double[]> StatedPreferences { get; } = [];

    /// <summary>Adds an item or returns the existing index.</summary>
    public int AddItem(string id, double[] content, double[] factorPrior)
    {
        if (_itemIndex.TryGetValue(id, out int existing))
        {
            return existing;
        }

        if (content.Length != ContentDimension || factorPrior.Length != FactorDimension)
        {
            throw new ArgumentException($"Item '{id}' has {content.Length} content and {factorPrior.Length} factor dimensions; expected {ContentDimension} and {FactorDimension}.");
        }

        _itemIds.Add(id);
        ItemContent.Add(content);
        ItemFactorPrior.Add(factorPrior);
        return _itemIndex[id] = _itemIds.Count - 1;
    }

    /// <summary>Index of an item, or −1.</summary>
    public int ItemIndex(string id) => _itemIndex.TryGetValue(id, out int i) ? i : -1;

    /// <summary>Adds a user or returns the existing index.</summary>
    public int AddUser(string id)
    {
        if (_userIndex.TryGetValue(id, out int existing))
        {
            return existing;
        }

        _userIds.Add(id);
        return _userIndex[id] = _userIds.Count - 1;
    }

    /// <summary>Index of a user, or −1.</summary>
    public int UserIndex(string id) => _userIndex.TryGetValue(id, out int i) ? i : -1;

    /// <summary>Adds "user preferred chosen over rejected".</summary>
    public void AddPair(int user, int chosen, int rejected, double weight = 1)
    {
        if (chosen == rejected)
        {
            throw new ArgumentException("A pair needs two different items.");
        }

        Pairs.Add(new TrainingPair(user, chosen, rejected, weight));
    }
}

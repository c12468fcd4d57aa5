namespace PGenRM.Core.Model;

/// <summary>
/// One user's learning state: prior (population or prototype), a bounded history of pairs with older pairs folded
/// into sufficient statistics, an optional stated-preference pseudo-pair, and the posterior scheme. The user grain
/// holds one of these; <see cref="Add"/> is the online update per feedback pair.
/// </summary>
public sealed class UserModel
{
    private readonly HybridModelOptions _options;
    private readonly List<PairEvidence> _history = [];
    private LaplacePosterior? _posterior;

    // Online updates since the last grid search, and the pair count at that search (see PriorScaleSearchInterval).
    private int _addsSinceSearch;
    private int _pairsAtSearch;

    /// <summary>Creates a user at its prior, its collaborative stage at the tenant's scale if the tenant has one.</summary>
    public UserModel(DiagonalGaussian prior, HybridModelOptions options, double? tenantCollaborativeScale = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(options);
        Prior = prior;
        TenantCollaborativeScale = tenantCollaborativeScale;
        _options = options;
        Folded = new FoldedEvidence(prior.Dimension);
        Scheme = (double[])prior.Mean.Clone();
        Scale = options.PriorScaleGrid.Max();
    }

    /// <summary>The model options the user is fitted with.</summary>
    public HybridModelOptions Options => _options;

    /// <summary>The prior in force.</summary>
    public DiagonalGaussian Prior { get; private set; }

    /// <summary>Pairs kept verbatim, oldest first.</summary>
    public IReadOnlyList<PairEvidence> History => _history;

    /// <summary>Summary of pairs that left the history.</summary>
    public FoldedEvidence Folded { get; private set; }

    /// <summary>Stated-preference pseudo-pair in content space, or null.</summary>
    public double[]? StatedPreference { get; private set; }

    /// <summary>Posterior mean θ = [w; p; δ].</summary>
    public double[] Scheme { get; private set; }

    /// <summary>Prior strength chosen by evidence.</summary>
    public double Scale { get; private set; }

    /// <summary>
    /// The tenant's prior scale for the collaborative stage (<see cref="CollaborativeScale.Tenant"/>, from the prototype
    /// directory), or null for the user's own choice; used from the next fit on.
    /// </summary>
    public double? TenantCollaborativeScale { get; set; }

    /// <summary>
    /// The collaborative stage's criterion at each scale of <see cref="HybridModelOptions.PriorScaleGrid"/> in the last
    /// fit (grid order; empty while no pair's items were judged by others): what this user contributes to the tenant's
    /// choice (it travels in the member snapshot).
    /// </summary>
    public float[] CollaborativeCriteria { get; private set; } = [];

    /// <summary>
    /// The tenant's scale the last fit's collaborative stage was held at (null: the user's own choice, no collaborative
    /// stage, or no fit yet).
    /// </summary>
    public double? FittedCollaborativeScale { get; private set; }

    /// <summary>Pairs ever applied (verbatim plus folded).</summary>
    public int PairCount => _history.Count + Folded.Count;

    /// <summary>Whether the scheme is still the prior's (no pair and no stated preference).</summary>
    public bool IsColdStart => PairCount == 0 && StatedPreference is null;

    /// <summary>The latest posterior (null before the first fit).</summary>
    public LaplacePosterior? Posterior => _posterior;

    /// <summary>
    /// Where the online update stands between grid searches: the scale in force, the pair count at the last search and
    /// the updates since. Stored with the user so that an activation continues the same path (<see cref="Restore"/>).
    /// </summary>
    public ScaleSearchState SearchState => new(Scale, _pairsAtSearch, _addsSinceSearch);

    /// <summary>
    /// Restores a stored state and refits: by a grid search, or, given the <paramref name="search"/> state the model had
    /// when it was stored (a scale of the grid), at that scale with the search counters resumed — the fit the model held
    /// then. Between searches the online update refits at the current scale only, so a fresh search on activation could
    /// pick another scale and change the user's scheme across a restart (a reactivated user's scale went from 16 to 4
    /// with the same 18 pairs).
    /// </summary>
    public void Restore(IEnumerable<PairEvidence> history, FoldedEvidence folded, double[]? stated, ScaleSearchState? search = null)
    {
        _history.Clear();
        _history.AddRange(history);
        Folded = folded;
        StatedPreference = stated;
        if (search is not { } resume || !_options.PriorScaleGrid.Contains(resume.Scale) || PairCount == 0)
        {
            Refit();
            return;
        }

        // From the prior mean rather than the held scheme: twice the Newton budget reaches the mode the warm-started
        // online fits held.
        var foldedOrNull = Folded.Count > 0 ? Folded : null;
        var first = SchemeLearner.FitUserAtScale(Prior, resume.Scale, Observations(), _options, null, foldedOrNull, TenantCollaborativeScale);
        var criteria = new Dictionary<double, double>();
        Take(SchemeLearner.FitUserAtScale(Prior, resume.Scale, Observations(), _options, first.Mean, foldedOrNull, TenantCollaborativeScale, criteria), criteria);
        Scale = resume.Scale;
        _pairsAtSearch = resume.PairsAtSearch;
        _addsSinceSearch = resume.AddsSinceSearch;
    }

    /// <summary>Moves the user to another prior (a new prototype or centroid version) and refits.</summary>
    public void SetPrior(DiagonalGaussian prior)
    {
        if (prior.Dimension != Prior.Dimension)
        {
            throw new ArgumentException($"The new prior has {prior.Dimension} dimensions; the user has {Prior.Dimension}.", nameof(prior));
        }

        Prior = prior;
        Refit();
    }

    /// <summary>
    /// Applies one pair: appends it, folds the oldest beyond capacity, refits (at the current prior scale, or with a
    /// new grid search when <see cref="HybridModelOptions.PriorScaleSearchInterval"/> says so).
    /// </summary>
    public void Add(PairEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        _history.Add(evidence);
        while (_history.Count > _options.HistoryCapacity)
        {
            Folded.Fold(_history[0].ToObservation(), Scheme);
            _history.RemoveAt(0);
        }

        RefitOnline(1);
    }

    /// <summary>
    /// Applies several pairs at once (a rating set): appends them, folds the oldest beyond capacity at the current
    /// scheme, refits once (as <see cref="Add"/> does, counting every pair towards the next grid search).
    /// </summary>
    public void AddRange(IReadOnlyList<PairEvidence> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return;
        }

        foreach (var evidence in pairs)
        {
            ArgumentNullException.ThrowIfNull(evidence, nameof(pairs));
            _history.Add(evidence);
        }

        while (_history.Count > _options.HistoryCapacity)
        {
            Folded.Fold(_history[0].ToObservation(), Scheme);
            _history.RemoveAt(0);
        }

        RefitOnline(pairs.Count);
    }

    /// <summary>Sets (or replaces) the stated-preference pseudo-pair and refits.</summary>
    public void SetStatedPreference(double[] contentDiff)
    {
        ArgumentNullException.ThrowIfNull(contentDiff);
        StatedPreference = contentDiff;
        Refit();
    }

    /// <summary>All observations the posterior is fitted on (history, then the stated pseudo-pair).</summary>
    public List<LogisticObservation> Observations()
    {
        var list = _history.Select(h => h.ToObservation()).ToList();
        if (StatedPreference is not null)
        {
            list.Add(SchemeLearner.StatedObservation(StatedPreference, Prior.Dimension, _options.StatedPreferenceWeight));
        }

        return list;
    }

    /// <summary>History entries for the individual level of test-time scaling.</summary>
    public List<HistoryEntry> HistoryEntries()
    {
        var entries = _history.Select(h => new HistoryEntry(h.ToObservation(), h.QueryEmbedding)).ToList();
        if (StatedPreference is not null)
        {
            entries.Add(new HistoryEntry(Observations()[^1], []));
        }

        return entries;
    }

    /// <summary>Full refit: the grid search over prior scales.</summary>
    private void Refit()
    {
        var folded = Folded.Count > 0 ? Folded : null;
        var criteria = new Dictionary<double, double>();
        Take(SchemeLearner.FitUser(Prior, Observations(), _options, folded, Scheme, TenantCollaborativeScale, criteria), criteria);
        Scale = _posterior!.Scale;
        _addsSinceSearch = 0;
        _pairsAtSearch = PairCount;
    }

    /// <summary>
    /// The online refit after <paramref name="added"/> new pairs. One more pair rarely moves the evidence-optimal
    /// scale, and the grid search costs one Newton fit per scale, so between searches only the current scale is
    /// refitted (warm-started at the previous scheme). The first pairs, where the scale moves most and fits are
    /// cheap, always search, and so does every doubling of the pair count.
    /// </summary>
    private void RefitOnline(int added)
    {
        _addsSinceSearch += added;
        int interval = _options.PriorScaleSearchInterval;
        if (_posterior is null || PairCount <= interval || _addsSinceSearch >= interval || PairCount >= 2 * _pairsAtSearch)
        {
            Refit();
            return;
        }

        var folded = Folded.Count > 0 ? Folded : null;
        var criteria = new Dictionary<double, double>();
        Take(SchemeLearner.FitUserAtScale(Prior, Scale, Observations(), _options, Scheme, folded, TenantCollaborativeScale, criteria), criteria);
    }

    /// <summary>Takes a fit: its posterior and scheme, the collaborative criteria it recorded, the tenant scale it was held at.</summary>
    private void Take(LaplacePosterior posterior, Dictionary<double, double> criteria)
    {
        _posterior = posterior;
        Scheme = posterior.Mean;
        CollaborativeCriteria = Array.ConvertAll(CollaborativeScale.Criteria(_options.PriorScaleGrid, criteria), x => (float)x);
        FittedCollaborativeScale = HeldAt();
    }

    /// <summary>The tenant's scale, when the last fit's collaborative stage ran and was held at it (a scale of the grid).</summary>
    private double? HeldAt() =>
        CollaborativeCriteria.Length > 0 && TenantCollaborativeScale is { } scale && _options.PriorScaleGrid.Contains(scale) ? scale : null;
}

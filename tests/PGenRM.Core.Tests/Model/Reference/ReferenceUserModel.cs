using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model.Reference;

/// <summary>The old UserModel (online update with the periodic grid search), on the frozen reference fit.</summary>
internal sealed class ReferenceUserModel
{
    private readonly HybridModelOptions _options;
    private readonly List<PairEvidence> _history = [];
    private int _addsSinceSearch;
    private int _pairsAtSearch;
    private bool _fitted;

    public ReferenceUserModel(DiagonalGaussian prior, HybridModelOptions options)
    {
        Prior = prior;
        _options = options;
        Folded = new ReferenceFolded(prior.Dimension);
        Scheme = (double[])prior.Mean.Clone();
        Scale = options.PriorScaleGrid.Max();
    }

    public DiagonalGaussian Prior { get; private set; }

    public ReferenceFolded Folded { get; private set; }

    public double[]? StatedPreference { get; private set; }

    public double[] Scheme { get; private set; }

    public double Scale { get; private set; }

    public ReferencePosterior? Posterior { get; private set; }

    public IReadOnlyList<PairEvidence> History => _history;

    public int PairCount => _history.Count + Folded.Count;

    public void Restore(IEnumerable<PairEvidence> history, ReferenceFolded folded, double[]? stated)
    {
        _history.Clear();
        _history.AddRange(history);
        Folded = folded;
        StatedPreference = stated;
        Refit();
    }

    public void SetPrior(DiagonalGaussian prior)
    {
        Prior = prior;
        Refit();
    }

    public void Add(PairEvidence evidence) => AddRange([evidence]);

    public void AddRange(IReadOnlyList<PairEvidence> pairs)
    {
        _history.AddRange(pairs);
        while (_history.Count > _options.HistoryCapacity)
        {
            Folded.Fold(_history[0].ToObservation(), Scheme);
            _history.RemoveAt(0);
        }

        _addsSinceSearch += pairs.Count;
        int interval = _options.PriorScaleSearchInterval;
        if (!_fitted || PairCount <= interval || _addsSinceSearch >= interval || PairCount >= 2 * _pairsAtSearch)
        {
            Refit();
            return;
        }

        Posterior = ReferenceFit.FitUserAtScale(Prior, Scale, Observations(), _options, Scheme, Folded.Count > 0 ? Folded : null);
        Scheme = Posterior.Mean;
    }

    public void SetStatedPreference(double[] contentDiff)
    {
        StatedPreference = contentDiff;
        Refit();
    }

    public List<LogisticObservation> Observations()
    {
        var list = _history.Select(h => h.ToObservation()).ToList();
        if (StatedPreference is not null)
        {
            var z = new double[Prior.Dimension];
            Array.Copy(StatedPreference, z, Math.Min(StatedPreference.Length, z.Length));
            list.Add(new LogisticObservation(z, 0, _options.StatedPreferenceWeight));
        }

        return list;
    }

    private void Refit()
    {
        Posterior = ReferenceFit.FitUser(Prior, Observations(), _options, Folded.Count > 0 ? Folded : null, Scheme);
        Scheme = Posterior.Mean;
        Scale = Posterior.Scale;
        _addsSinceSearch = 0;
        _pairsAtSearch = PairCount;
        _fitted = true;
    }
}

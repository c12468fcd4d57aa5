namespace PGenRM.Core.Model;

/// <summary>
/// Fits the hybrid model on a <see cref="TrainingSet"/> by alternating the per-entity fits that the service
/// runs after each feedback: population (content only), then rounds of items given users, users given items
/// and their prior, and re-clustering of users into prototypes whose centroids become the users' priors.
/// </summary>
public sealed class HybridTrainer
{
    private readonly TrainingSet _set;
    private readonly HybridModelOptions _model;
    private readonly TrainerOptions _options;
    private readonly List<int>[] _userPairs;
    private readonly List<int>[] _itemPairs;
    private readonly int[] _itemJudgeCount;
    private readonly int[] _itemFirstJudge;
    private readonly int _d;
    private readonly int _f;
    private double[][]? _ownSchemes;
    private double[][][]? _foldSchemes;
    private double[]? _ownPopulation;

    // The scheme's collaborative block [p; δ] (F + 1 values, none without a factor block).
    private readonly int _c;

    // Per item, the precision H over [b; o] at the last item fit (prior plus every judge's curvature), dense (1 + F)²:
    // what LeaveUserOutStrengths removes one judge's pairs from.
    private double[][] _itemPrecision = [];

    // What the last item fit saw, the other items' statistics (Jacobi snapshot) and the judges' schemes: the removal is
    // taken at the fit's own optimum (the users' fit that follows moves the schemes).
    private double[] _fitStrength = [];
    private double[][] _fitOffset = [];
    private double[][] _fitSchemes = [];

    /// <summary>Prepares a trainer; call <see cref="Train"/> next.</summary>
    public HybridTrainer(TrainingSet set, HybridModelOptions model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        _set = set;
        _model = model with { FactorDimension = options.Collaborative ? set.FactorDimension : 0 };
        _options = options;
        _d = set.ContentDimension;
        _f = _model.FactorDimension;
        _c = _model.CollaborativeDimension;
        _userPairs = Enumerable.Range(0, set.UserIds.Count).Select(_ => new List<int>()).ToArray();
        _itemPairs = Enumerable.Range(0, set.ItemIds.Count).Select(_ => new List<int>()).ToArray();
        for (int k = 0; k < set.Pairs.Count; k++)
        {
            var pair = set.Pairs[k];
            _userPairs[pair.User].Add(k);
            _itemPairs[pair.Chosen].Add(k);
            _itemPairs[pair.Rejected].Add(k);
        }

        // Distinct judges per item (a count and the first judge suffice to tell "judged by someone other than u").
        _itemJudgeCount = new int[set.ItemIds.Count];
        _itemFirstJudge = Enumerable.Repeat(-1, set.ItemIds.Count).ToArray();
        var seen = new HashSet<(int Item, int User)>();
        foreach (var pair in set.Pairs)
        {
            foreach (int item in (int[])[pair.Chosen, pair.Rejected])
            {
                if (seen.Add((item, pair.User)))
                {
                    _itemJudgeCount[item]++;
                    if (_itemFirstJudge[item] < 0)
                    {
                        _itemFirstJudge[item] = pair.User;
                    }
                }
            }
        }

        ItemStrength = new double[set.ItemIds.Count];
        ItemOffset = Enumerable.Range(0, set.ItemIds.Count).Select(_ => new double[_f]).ToArray();
        UserSchemes = new double[set.UserIds.Count][];
        UserPriors = new DiagonalGaussian[set.UserIds.Count];
        UserScales = new double[set.UserIds.Count];
        UserPrototype = new int[set.UserIds.Count];
        Population = new double[_d + _c];
        PriorPrecision = new double[_d + _c];
        for (int i = 0; i < _d; i++)
        {
            PriorPrecision[i] = set.ContentPrecision[i];
        }

        for (int k = 0; k < _c; k++)
        {
            PriorPrecision[_d + k] = _model.CollaborativePrecision(k);
        }

        Centroids = [];
    }

    /// <summary>The model options in force (F is 0 when the collaborative part is off).</summary>
    public HybridModelOptions Model => _model;

    /// <summary>The population scheme [w_pop; 0; 0].</summary>
    public double[] Population { get; private set; }

    /// <summary>Base prior precision of a user scheme.</summary>
    public double[] PriorPrecision { get; }

    /// <summary>Posterior mean scheme per user.</summary>
    public double[][] UserSchemes { get; }

    /// <summary>Prior per user (population or its prototype's centroid).</summary>
    public DiagonalGaussian[] UserPriors { get; }

    /// <summary>The prior scale that empirical Bayes chose per user.</summary>
    public double[] UserScales { get; }

    /// <summary>
    /// The tenant's prior scale for the users' collaborative stage (<see cref="CollaborativeScale.Tenant"/>) of the last
    /// round's user fits; null before the first fit, with no pair whose items others judged, or with
    /// <see cref="TrainerOptions.TenantCollaborativeScale"/> off.
    /// </summary>
    public double? TenantCollaborativeScale { get; private set; }

    /// <summary>Prototype index per user (0 when prototypes are off).</summary>
    public int[] UserPrototype { get; }

    /// <summary>Prototype centroids (mean member schemes).</summary>
    public double[][] Centroids { get; private set; }

    /// <summary>
    /// κ of the last re-clustering's shrinkage of centroids toward the population (0 before any); with
    /// <see cref="TrainerOptions.ClusterOnContent"/>, the content clustering's.
    /// </summary>
    public double PrototypeKappa { get; private set; }

    /// <summary>Learned item strength b per item.</summary>
    public double[] ItemStrength { get; }

    /// <summary>Learned item factor offset o per item.</summary>
    public double[][] ItemOffset { get; }

    /// <summary>Runs the population fit and the alternating rounds.</summary>
    public void Train(IProgress<string>? progress = null)
    {
        FitPopulation();
        progress?.Report("population");
        for (int u = 0; u < UserSchemes.Length; u++)
        {
            UserSchemes[u] = (double[])Population.Clone();
            UserPriors[u] = new DiagonalGaussian(Population, PriorPrecision);
            UserScales[u] = _model.PriorScaleGrid.Max();
        }

        Centroids = [Population];
        for (int round = 0; round < _options.Rounds; round++)
        {
            if (_f > 0 || _options.Collaborative)
            {
                FitItems();
            }

            if (_options.PersonalSchemes || _options.Collaborative)
            {
                FitUsers();
            }

            if (_options.UsePrototypes && _options.Prototypes > 1)
            {
                Recluster(round);
            }

            progress?.Report($"round {round + 1}");
        }
    }

    /// <summary>The item as scoring sees it.</summary>
    public ItemView Item(int item)
    {
        if (!_options.Collaborative)
        {
            return new ItemView(0, []);
        }

        var factor = new double[_f];
        var scaled = new double[_f];
        var prior = _set.ItemFactorPrior[item];
        for (int k = 0; k < _f; k++)
        {
            scaled[k] = _model.ItemFactorPriorScale * prior[k];
            factor[k] = scaled[k] + ItemOffset[item][k];
        }

        return new ItemView(ItemStrength[item], factor, scaled);
    }

    /// <summary>A candidate for scoring, with the trainer's content features (zeroed when content is off).</summary>
    public Candidate Candidate(int item) =>
        new(_set.ItemIds[item], _options.Content ? _set.ItemContent[item] : new double[_d], Item(item));

    /// <summary>
    /// A user's history as user-side observations against the current item statistics, each item's strength without
    /// this user's own judgments (<see cref="LeaveUserOutStrengths"/>), as the service's stored pairs hold it.
    /// </summary>
    public List<LogisticObservation> Observations(int user) =>
        ObservationsFor(user, _userPairs[user].Select(k => _set.Pairs[k]), _itemPrecision.Length == 0 ? null : LeaveUserOutStrengths(user));

    /// <summary>Observations for arbitrary pairs of one user (used for unseen users given k pairs).</summary>
    public List<LogisticObservation> ObservationsFor(int user, IEnumerable<TrainingPair> pairs) => ObservationsFor(user, pairs, null);

    private List<LogisticObservation> ObservationsFor(int user, IEnumerable<TrainingPair> pairs, Dictionary<int, double>? strengths)
    {
        var list = new List<LogisticObservation>();
        var diff = new double[_d];
        foreach (var pair in pairs)
        {
            if (_options.Content)
            {
                var c = _set.ItemContent[pair.Chosen];
                var r = _set.ItemContent[pair.Rejected];
                for (int i = 0; i < _d; i++)
                {
                    diff[i] = c[i] - r[i];
                }
            }

            // The trainer's item statistics include this user's own judgments, so whether a pair recurs is counted
            // from the judges directly: one of its items judged by another user.
            var chosen = Item(pair.Chosen);
            var rejected = Item(pair.Rejected);
            if (strengths is not null)
            {
                chosen = chosen with { Strength = strengths[pair.Chosen] };
                rejected = rejected with { Strength = strengths[pair.Rejected] };
            }

            list.Add(SchemeLearner.UserObservation(diff, chosen, rejected, pair.Weight) with
            {
                CollaborativeWeight = JudgedByOthers(pair.Chosen, user) || JudgedByOthers(pair.Rejected, user) ? 1 : 0,
            });
        }

        if (_options.Content && _set.StatedPreferences.TryGetValue(user, out var stated))
        {
            list.Add(SchemeLearner.StatedObservation(stated.AsSpan(0, _d), _d + _c, _model.StatedPreferenceWeight));
        }

        return list;
    }

    /// <summary>
    /// The strength b of each item the user judged, less what the user's own pairs moved it by: one Newton step of the
    /// item's fit from its mode with them removed, φ − (H − H_u)⁻¹ g_u (H the fit's precision, H_u and g_u the user's
    /// pairs' curvature and gradient there; exact when the rest of the fit is Gaussian, so an item only this user judged
    /// gets b = 0). In the service a pair keeps the items' statistics from before it arrived, so a user's strength
    /// weight δ learns how the user relates to *other* people's judgments; fitted on strengths that include the user's
    /// own, δ partly learns that b agrees with the judgments it was fitted on. Only after an item fit (FitItems).
    /// </summary>
    private Dictionary<int, double> LeaveUserOutStrengths(int user)
    {
        int n = 1 + _f;
        var removed = new Dictionary<int, (double[] Gradient, double[] Curvature)>();
        foreach (int k in _userPairs[user])
        {
            var pair = _set.Pairs[k];
            foreach (int item in (int[])[pair.Chosen, pair.Rejected])
            {
                if (!removed.TryGetValue(item, out var part))
                {
                    removed[item] = part = (new double[n], new double[n * n]);
                }

                AddCurvature(ItemSideObservation(k, item, _fitStrength, _fitOffset, _fitSchemes), item, part.Curvature, part.Gradient);
            }
        }

        var strengths = new Dictionary<int, double>(removed.Count);
        foreach (var (item, part) in removed)
        {
            // H − H_u is the prior's precision plus the other judges' curvature: positive definite.
            var rest = (double[])_itemPrecision[item].Clone();
            for (int a = 0; a < rest.Length; a++)
            {
                rest[a] -= part.Curvature[a];
            }

            var step = (double[])part.Gradient.Clone();
            DenseCholesky.Factor(rest, n);
            DenseCholesky.Solve(rest, n, step);
            strengths[item] = ItemStrength[item] - step[0];
        }

        return strengths;
    }

    /// <summary>The user's actual judgments: item id → mean sign over the user's training pairs.</summary>
    public Dictionary<string, double> Judgments(int user) =>
        PGenRM.Core.Model.Judgments.FromPairs(_userPairs[user].Select(k => (_set.ItemIds[_set.Pairs[k].Chosen], _set.ItemIds[_set.Pairs[k].Rejected])));

    /// <summary>Whether a user other than <paramref name="user"/> judged the item in the training set.</summary>
    public bool JudgedByOthers(int item, int user) =>
        _itemJudgeCount[item] >= 2 || (_itemJudgeCount[item] == 1 && _itemFirstJudge[item] != user);

    /// <summary>Index of an item id in the training set, or −1.</summary>
    public int ItemIndexOf(string id) => _set.ItemIndex(id);

    /// <summary>The pair indices of one user.</summary>
    public IReadOnlyList<int> PairsOf(int user) => _userPairs[user];

    /// <summary>
    /// The prior a new user gets: among the population and every prototype centroid, the one under which the user's
    /// first observations are most probable (Laplace evidence, i.e. empirical Bayes over the hierarchy's middle level).
    /// With no observation that is the population. Returns −1 as the prototype when the population wins.
    /// </summary>
    public (DiagonalGaussian Prior, int Prototype) PriorFor(IReadOnlyList<LogisticObservation> observations)
    {
        var population = new DiagonalGaussian(Population, PriorPrecision);
        if (observations.Count == 0 || Centroids.Length <= 1)
        {
            return (population, -1);
        }

        // Prior over the choice: half on the population, the other half spread over the K prototypes, so a prototype
        // must beat the population by log K nats of evidence before a handful of pairs moves the user into it.
        double scale = _model.PriorScaleGrid.Max();
        double penalty = Math.Log(Centroids.Length);
        var best = (Prior: population, Prototype: -1, Evidence: BayesianLogistic.Fit(population, scale, observations, null, null, _model.NewtonIterations).LogEvidence);
        for (int c = 0; c < Centroids.Length; c++)
        {
            var prior = new DiagonalGaussian(Centroids[c], PriorPrecision);
            double evidence = BayesianLogistic.Fit(prior, scale, observations, null, null, _model.NewtonIterations).LogEvidence - penalty;
            if (evidence > best.Evidence)
            {
                best = (prior, c, evidence);
            }
        }

        return (best.Prior, best.Prototype);
    }

    /// <summary>The item ids (chosen, rejected) of one user's training pairs.</summary>
    public IEnumerable<(string Chosen, string Rejected)> PairItemIds(int user) =>
        _userPairs[user].Select(k => (_set.ItemIds[_set.Pairs[k].Chosen], _set.ItemIds[_set.Pairs[k].Rejected]));

    /// <summary>
    /// The vector neighbours are compared on (<see cref="TrainerOptions.NeighbourKey"/>): the user factor's or the whole
    /// scheme's normalised deviation from the population, the sketch of the user's judgments, or that of its pairs
    /// (<paramref name="pairs"/>, required for <see cref="NeighbourKeyKind.PairSketch"/>).
    /// </summary>
    public double[] NeighbourKey(double[] scheme, IReadOnlyDictionary<string, double> judgments, IEnumerable<(string Chosen, string Rejected)>? pairs = null) => _options.NeighbourKey switch
    {
        NeighbourKeyKind.Sketch => JudgmentSketch.Of(judgments),
        NeighbourKeyKind.PairSketch => JudgmentSketch.OfPairs(pairs ?? throw new ArgumentNullException(nameof(pairs), "The pair sketch needs the user's pairs.")),
        NeighbourKeyKind.Factor when _f > 0 => Deviation(scheme[_d..]),
        _ => Deviation(scheme),
    };

    /// <summary>Deviation of a scheme (or of its tail when shorter) from the population, normalised.</summary>
    public double[] Deviation(double[] scheme)
    {
        var v = new double[scheme.Length];
        int offset = Population.Length - scheme.Length;
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = scheme[i] - Population[offset + i];
            norm += v[i] * v[i];
        }

        norm = Math.Sqrt(norm);
        if (norm > 0)
        {
            for (int i = 0; i < v.Length; i++)
            {
                v[i] /= norm;
            }
        }

        return v;
    }

    private void FitPopulation()
    {
        if (!_options.Content)
        {
            Population = new double[_d + _c];
            return;
        }

        var observations = new List<LogisticObservation>(_set.Pairs.Count);
        foreach (var pair in _set.Pairs)
        {
            var z = new double[_d + _c];
            var c = _set.ItemContent[pair.Chosen];
            var r = _set.ItemContent[pair.Rejected];
            for (int i = 0; i < _d; i++)
            {
                z[i] = c[i] - r[i];
            }

            observations.Add(new LogisticObservation(z, 0, pair.Weight));
        }

        // The population prior is weak and centred at zero; its strength is also chosen by evidence.
        var prior = DiagonalGaussian.Zero(PriorPrecision);
        LaplacePosterior? best = null;
        foreach (double scale in new[] { 0.01, 0.1, 1.0, 10.0 })
        {
            var fit = BayesianLogistic.Fit(prior, scale, observations, null, best?.Mean, _model.NewtonIterations);
            if (best is null || fit.LogEvidence > best.LogEvidence)
            {
                best = fit;
            }
        }

        Population = best!.Mean;
    }

    private void FitItems()
    {
        // Jacobi order: every item is fitted against the same snapshot of the others, so the result does not
        // depend on thread scheduling.
        var strength = (double[])ItemStrength.Clone();
        var offset = ItemOffset.Select(o => (double[])o.Clone()).ToArray();
        var precision = new double[_itemPairs.Length][];
        var schemes = UserSchemes.Select(theta => (double[])theta.Clone()).ToArray();
        Parallel.For(0, _itemPairs.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, item =>
        {
            var observations = new List<LogisticObservation>(_itemPairs[item].Count);
            foreach (int k in _itemPairs[item])
            {
                observations.Add(ItemSideObservation(k, item, strength, offset, schemes));
            }

            var start = new double[1 + _f];
            start[0] = strength[item];
            Array.Copy(offset[item], 0, start, 1, _f);
            var fit = SchemeLearner.FitItem(observations, _model, null, start);
            ItemStrength[item] = fit.Mean[0];
            Array.Copy(fit.Mean, 1, ItemOffset[item], 0, _f);
        });

        // The precision at the fitted values against the same snapshot, with the observations LeaveUserOutStrengths takes
        // apart (the fit's own factor belongs to its last Newton iterate, not to the mode).
        var prior = SchemeLearner.ItemPrior(_model).Precision;
        Parallel.For(0, _itemPairs.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, item =>
        {
            int n = 1 + _f;
            var h = new double[n * n];
            for (int a = 0; a < n; a++)
            {
                h[(a * n) + a] = prior[a];
            }

            foreach (int k in _itemPairs[item])
            {
                AddCurvature(ItemSideObservation(k, item, strength, offset, schemes), item, h, null);
            }

            precision[item] = h;
        });
        _itemPrecision = precision;
        _fitStrength = strength;
        _fitOffset = offset;
        _fitSchemes = schemes;
    }

    /// <summary>
    /// Adds one item-side observation's curvature w·p(1 − p)·zzᵀ at the item's current [b; o] to <paramref name="curvature"/>
    /// and, when given, its log-likelihood gradient w·(1 − p)·z to <paramref name="gradient"/>.
    /// </summary>
    private void AddCurvature(LogisticObservation o, int item, double[] curvature, double[]? gradient)
    {
        int n = 1 + _f;
        double margin = o.Offset + (o.Features[0] * ItemStrength[item]);
        for (int j = 0; j < _f; j++)
        {
            margin += o.Features[1 + j] * ItemOffset[item][j];
        }

        double p = BayesianLogistic.Sigmoid(margin);
        for (int a = 0; a < n; a++)
        {
            if (gradient is not null)
            {
                gradient[a] += o.Weight * (1 - p) * o.Features[a];
            }

            for (int b = 0; b < n; b++)
            {
                curvature[(a * n) + b] += o.Weight * p * (1 - p) * o.Features[a] * o.Features[b];
            }
        }
    }

    /// <summary>Pair <paramref name="k"/> as an observation of <paramref name="item"/>'s [b; o], the other item at the given statistics.</summary>
    private LogisticObservation ItemSideObservation(int k, int item, double[] strength, double[][] offset, double[][] schemes)
    {
        var pair = _set.Pairs[k];
        var theta = schemes[pair.User];
        bool isChosen = pair.Chosen == item;
        int other = isChosen ? pair.Rejected : pair.Chosen;
        double content = _options.Content ? ContentDiff(theta, pair) : 0;
        double otherScore = ItemScore(theta, other, strength, offset);
        double rest = isChosen ? content - otherScore : content + otherScore;
        return SchemeLearner.ItemObservation(isChosen ? 1 : -1, theta.AsSpan(_d, _f), ScaledPrior(item), rest, pair.Weight);
    }

    private void FitUsers()
    {
        bool tenant = _options.TenantCollaborativeScale && _options.PersonalSchemes;
        var observations = new List<LogisticObservation>[UserSchemes.Length];
        var fits = new LaplacePosterior?[UserSchemes.Length];
        var collaborative = new float[UserSchemes.Length][];
        Parallel.For(0, UserSchemes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, user =>
        {
            if (!_options.PersonalSchemes)
            {
                UserSchemes[user] = (double[])UserPriors[user].Mean.Clone();
                return;
            }

            // Each user's own choice, recording its collaborative criteria at every grid scale (they do not depend on the
            // scale the stage is then held at).
            observations[user] = Observations(user);
            var criteria = tenant ? new Dictionary<double, double>() : null;
            fits[user] = SchemeLearner.FitUser(UserPriors[user], observations[user], _model, null, UserSchemes[user], null, criteria);
            collaborative[user] = criteria is null ? [] : Array.ConvertAll(CollaborativeScale.Criteria(_model.PriorScaleGrid, criteria), c => (float)c);
        });

        if (tenant)
        {
            // The tenant's scale from this round's criteria, and every user's collaborative stage held there (its content
            // stage refitted at the scale it chose): the steady state of the service, whose re-clustering pass sums its
            // members' criteria (CollaborativeScale.Tenant) and whose users then fit at that scale. Taking it from the
            // previous round instead left round 1's item fits on users at their own scales (GSC shared, seeds 100–119:
            // 62.1 against 63.7).
            TenantCollaborativeScale = CollaborativeScale.Tenant(_model.PriorScaleGrid, collaborative.Select(c => ((IReadOnlyList<float>)c, 1.0)));
            if (TenantCollaborativeScale is { } scale)
            {
                Parallel.For(0, UserSchemes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, user =>
                {
                    if (collaborative[user].Length > 0)
                    {
                        var own = fits[user]!;
                        fits[user] = SchemeLearner.FitUserAtScale(UserPriors[user], own.Scale, observations[user], _model, own.Mean, null, scale);
                    }
                });
            }
        }

        for (int user = 0; user < UserSchemes.Length; user++)
        {
            if (fits[user] is { } fit)
            {
                UserSchemes[user] = fit.Mean;
                UserScales[user] = fit.Scale;
            }
        }
    }

    private void Recluster(int round)
    {
        int k = Math.Min(_options.Prototypes, UserSchemes.Length);
        // Users are clustered on their whole scheme's deviation from the population (content weights and factor), so a
        // prototype's centroid is a prior that fits its members in both parts; its members are the user's neighbours.
        var (assignments, centroids, kappa) = Cluster(k, _d + _c, round);
        for (int u = 0; u < UserSchemes.Length; u++)
        {
            UserPrototype[u] = assignments[u];
        }

        Centroids = centroids;
        PrototypeKappa = kappa;
        bool split = _options.ClusterOnContent && _options.Content && _f > 0;
        // The content weights, fitted first, take their prior from a clustering of the content weights alone: the same
        // prototypes a content-only model forms, so the full method's content part is that model's and on new content
        // (no item statistics) the full method scores as its content part alone (HybridTrainerTests plants it).
        var (contentAssignments, contentCentroids, contentKappa) = split ? Cluster(k, _d, round) : (assignments, centroids, kappa);
        if (split)
        {
            PrototypeKappa = contentKappa;
        }

        for (int u = 0; u < UserSchemes.Length; u++)
        {
            var mean = (double[])centroids[assignments[u]].Clone();
            Array.Copy(contentCentroids[contentAssignments[u]], mean, _d);
            UserPriors[u] = new DiagonalGaussian(mean, PriorPrecision);
        }
    }

    /// <summary>
    /// k-means (cosine) over the first <paramref name="length"/> values of the users' deviations from the population,
    /// then centroids shrunk toward the population by cluster size (<see cref="PrototypeShrinkage"/>: a prototype of two
    /// users is mostly the population unless the prototypes really differ; issue 11 traced TL;DR's new-content loss
    /// against the population to 8 prototypes for 21 users).
    /// </summary>
    private (int[] Assignments, double[][] Centroids, double Kappa) Cluster(int k, int length, int round)
    {
        // The one clustering rule the grains' background pass runs too (PrototypeShrinkage.Fit).
        var heads = UserSchemes.Select(s => s[..length]).ToList();
        bool heldOut = _options.ShrinkPrototypes && _options.ShrinkageRule == PrototypeShrinkageRule.HeldOut;
        var fit = PrototypeShrinkage.Fit(Population[..length], heads, null, k, _options.Seed + round, _options.ShrinkPrototypes && !heldOut);
        if (!heldOut)
        {
            return (fit.Assignments, fit.Centroids, fit.Kappa);
        }

        double kappa = HeldOutKappa(fit.Assignments, k, length);
        return (fit.Assignments, PrototypeShrinkage.Centroids(Population[..length], heads, fit.Assignments, k, kappa), kappa);
    }

    /// <summary>
    /// κ by <see cref="PrototypeShrinkage.HeldOutKappa"/>, on five folds per user (every fifth observation; two folds, fitted
    /// on half the pairs, picked prototypes more noisily than the whole history does and chose κ = ∞ where the method of
    /// moments did better on the TL;DR development seeds 100–102: −0.9 vs +0.1 against the population). The schemes that
    /// build the centroids and the fold schemes that pick a fold's prototype are those of the first round, fitted under the
    /// population prior at the user's chosen scale: from the second round on a user sits near its prototype's centroid,
    /// which held the user itself, so the others' schemes would carry part of the held-out member's own data.
    /// </summary>
    private double HeldOutKappa(int[] assignments, int k, int length)
    {
        const int folds = 5;
        // Once per training (Population is a new array per Train): both clusterings of the first round share the fits.
        if (_ownSchemes is null || _foldSchemes is null || !ReferenceEquals(_ownPopulation, Population))
        {
            _ownPopulation = Population;
            _ownSchemes = UserSchemes.Select(s => (double[])s.Clone()).ToArray();
            var population = new DiagonalGaussian(Population, PriorPrecision);
            _foldSchemes = new double[UserSchemes.Length][][];
            Parallel.For(0, UserSchemes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, u =>
            {
                var observations = Observations(u);
                _foldSchemes[u] = Enumerable.Range(0, folds)
                    .Select(f => SchemeLearner.FitUserAtScale(population, UserScales[u], observations.Where((_, i) => i % folds != f).ToList(), _model).Mean)
                    .ToArray();
            });
        }

        var heldOut = new IReadOnlyList<HeldOutFold>[UserSchemes.Length];
        Parallel.For(0, UserSchemes.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism }, u =>
        {
            var observations = Observations(u);
            heldOut[u] = Enumerable.Range(0, folds)
                .Select(f => observations.Where((_, i) => i % folds == f).ToList())
                .Select((fold, f) => (Fold: fold, Scheme: _foldSchemes[u][f][..length]))
                .Where(x => x.Fold.Count > 0)
                .Select(x => new HeldOutFold(x.Scheme, theta => PrototypeShrinkage.LogLikelihood(x.Fold, theta)))
                .ToList();
        });
        var heads = _ownSchemes.Select(s => s[..length]).ToList();
        return PrototypeShrinkage.HeldOutKappa(Population[..length], heads, assignments, k, heldOut);
    }

    private double ContentDiff(double[] theta, TrainingPair pair)
    {
        var c = _set.ItemContent[pair.Chosen];
        var r = _set.ItemContent[pair.Rejected];
        double total = 0;
        for (int i = 0; i < _d; i++)
        {
            total += theta[i] * (c[i] - r[i]);
        }

        return total;
    }

    private double ItemScore(double[] theta, int item, double[] strength, double[][] offset)
    {
        // Called for every observation of every item fit: the factor lives on the stack.
        var prior = _set.ItemFactorPrior[item];
        Span<double> factor = stackalloc double[_f];
        for (int k = 0; k < _f; k++)
        {
            factor[k] = (_model.ItemFactorPriorScale * prior[k]) + offset[item][k];
        }

        return SchemeLearner.ItemScore(theta, _f, strength[item], factor);
    }

    private double[] ScaledPrior(int item)
    {
        var prior = _set.ItemFactorPrior[item];
        var scaled = new double[_f];
        for (int k = 0; k < _f; k++)
        {
            scaled[k] = _model.ItemFactorPriorScale * prior[k];
        }

        return scaled;
    }
}

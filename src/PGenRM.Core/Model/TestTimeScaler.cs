using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// Dual-granularity test-time scaling over the hybrid model. Pure: callers supply the user's prior, history,
/// scheme, the candidates' statistics and the neighbour pool (the grains fetch them; the evaluation reads
/// them from its trainer), so the service and the evaluation run the same arithmetic.
/// </summary>
public static class TestTimeScaler
{
    /// <summary>
    /// s = w·x + (1 + δ)·b + p·v for a scheme θ = [w; p; δ]; for an item no one has judged the collaborative part is 0
    /// (b = 0 and <see cref="ItemView.ScoredFactor"/>), so new content is scored by the content part alone.
    /// </summary>
    public static double Score(ReadOnlySpan<double> scheme, Candidate candidate)
    {
        int d = candidate.Content.Length;
        double content = TensorPrimitives.Dot(scheme[..d], candidate.Content);
        double collaborative = StrengthScore(scheme, candidate);
        if (candidate.Item.Factor.Length > 0)
        {
            collaborative += TensorPrimitives.Dot(SchemeLearner.FactorOf(scheme, candidate.Item.Factor.Length), candidate.Item.ScoredFactor);
        }

        return content + collaborative;
    }

    /// <summary>(1 + δ)·b: the item's strength as this user weighs it (b alone without a factor block).</summary>
    private static double StrengthScore(ReadOnlySpan<double> scheme, Candidate candidate)
    {
        int f = candidate.Item.Factor.Length;
        int d = candidate.Content.Length;
        if (f > 0 && scheme.Length != d + f + 1)
        {
            throw new ArgumentException($"A scheme [w; p; δ] for {d} content and {f} factor values has {d + f + 1} values; got {scheme.Length}.", nameof(scheme));
        }

        return SchemeLearner.StrengthWeightOf(scheme, f) * candidate.Item.Strength;
    }

    /// <summary>
    /// The part of <see cref="Score"/> learned from judgments: (1 + δ)·b + p·o (the item's strength as this user weighs
    /// it and the user factor times the item's learned factor offset). The rest, w·x + p·scale·u, follows from the
    /// response's content.
    /// </summary>
    public static double LearnedScore(ReadOnlySpan<double> scheme, Candidate candidate)
    {
        double learned = StrengthScore(scheme, candidate);
        if (candidate.Item.Factor.Length > 0)
        {
            learned += candidate.Item.LearnedFactorScore(SchemeLearner.FactorOf(scheme, candidate.Item.Factor.Length));
        }

        return learned;
    }

    /// <summary>The content part w·x alone.</summary>
    public static double ContentScore(ReadOnlySpan<double> scheme, Candidate candidate) =>
        TensorPrimitives.Dot(scheme[..candidate.Content.Length], candidate.Content);

    /// <summary>
    /// The individual level: m schemes, each fitted (at the user's prior and prior scale) on a different
    /// subsample of the history drawn with probability rising with the pair's relevance to this query
    /// (as each of the paper's chains sees h history pairs). m = 1, or a history under two pairs, gives the
    /// MAP scheme alone. Deterministic for a given seed and <paramref name="seedKey"/> (user and query). The
    /// collaborative stage of each fit takes the tenant's scale when <paramref name="collaborativeScale"/> is given.
    /// </summary>
    public static IReadOnlyList<double[]> IndividualSchemes(
        double[] map,
        DiagonalGaussian prior,
        double priorScale,
        IReadOnlyList<HistoryEntry> history,
        ReadOnlySpan<float> queryEmbedding,
        ScalingOptions scaling,
        HybridModelOptions model,
        string seedKey,
        double? collaborativeScale = null)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        if (scaling.M <= 1 || history.Count < 2)
        {
            return [map];
        }

        var keys = new double[history.Count];
        var random = new Random(StableHash.Seed(scaling.Seed, seedKey));
        int size = Math.Clamp((int)Math.Round(scaling.SubsampleFraction * history.Count), 1, history.Count);
        var relevance = new double[history.Count];
        for (int k = 0; k < history.Count; k++)
        {
            var q = history[k].QueryEmbedding;
            relevance[k] = VectorSimilarity.Cosine(q, queryEmbedding);
        }

        double maxRelevance = relevance.Max();
        var schemes = new List<double[]>(scaling.M);
        var subsample = new List<LogisticObservation>(size);
        var order = new int[history.Count];
        for (int s = 0; s < scaling.M; s++)
        {
            // Efraimidis–Spirakis weighted sampling without replacement: key = u^(1/weight), keep the largest.
            for (int k = 0; k < history.Count; k++)
            {
                double weight = Math.Exp((relevance[k] - maxRelevance) / scaling.RelevanceTemperature);
                keys[k] = Math.Log(1.0 - random.NextDouble()) / Math.Max(weight, 1e-12);
                order[k] = k;
            }

            Array.Sort((double[])keys.Clone(), order);
            subsample.Clear();
            for (int k = history.Count - size; k < history.Count; k++)
            {
                subsample.Add(history[order[k]].Observation);
            }

            schemes.Add(SchemeLearner.FitUserAtScale(prior, priorScale, subsample, model, map, null, collaborativeScale).Mean);
        }

        return schemes;
    }

    /// <summary>
    /// The prototype level: for each candidate, the n most similar neighbours in the pool, preferring those who
    /// actually judged that candidate (their judgment adds <see cref="ScalingOptions.JudgmentWeight"/>·J to their
    /// model score), filled with the most similar others. The pool must already exclude the scored user. With
    /// <see cref="NeighbourWeighting.Agreement"/> a neighbour counts as far as it agrees with the user
    /// (<see cref="AgreementWeight(Neighbour, ScalingOptions, PoolAgreement)"/>) and the rest of its share is <paramref name="own"/>, the user's own score.
    /// </summary>
    public static double[]? PrototypeLevel(
        IReadOnlyList<Neighbour> pool,
        IReadOnlyList<Candidate> candidates,
        ScalingOptions scaling,
        ISet<string> used,
        IReadOnlyList<IReadOnlyList<Neighbour>>? judges = null,
        IReadOnlyList<double>? own = null)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        if (own is null && scaling.Weighting != NeighbourWeighting.Equal)
        {
            throw new ArgumentException("Agreement weighting fills a neighbour's unused share with the user's own scores; pass them.", nameof(own));
        }

        return PrototypeLevel(pool, candidates, scaling, used, judges, own, null, null);
    }

    /// <summary>
    /// The weight of a neighbour's vote under <see cref="NeighbourWeighting.Agreement"/> with the shrink target 1
    /// (<see cref="AgreementTarget.One"/>): <see cref="AgreementWeight(Neighbour, ScalingOptions, PoolAgreement)"/> for a pool
    /// without evidence.
    /// </summary>
    public static double AgreementWeight(Neighbour neighbour, ScalingOptions scaling) =>
        AgreementWeight(neighbour, scaling, PoolAgreement.None);

    /// <summary>
    /// The weight of a neighbour's vote under <see cref="NeighbourWeighting.Agreement"/>: its similarity s to the user
    /// (with the default neighbour key, the cosine of the two users' judgment sketches: about their net agreement count
    /// over the items both judged, divided by <see cref="Neighbour.Evidence"/> E) shrunk by
    /// <see cref="ScalingOptions.AgreementPrior"/> c toward a target t: ŝ = (s·E + t·c) / (E + c), then read in a unit u
    /// and clamped to [0, 1]: clamp(ŝ / u, 0, 1). With <see cref="AgreementTarget.One"/>, or a pool without evidence,
    /// t = u = 1 (session 4: little judging behind s leaves the weight near 1, the paper's equal mean). With
    /// <see cref="AgreementTarget.Pool"/>, t = a0, the agreement the pool's members show among themselves
    /// (<paramref name="pool"/>), and u = 1; with <see cref="AgreementTarget.PoolRelative"/>, t = a0 and
    /// u = max(a0, resolution), so a new user counts its neighbours fully in a pool whose members agree, and not at all in
    /// one whose members disagree. c = 0 or an unknown E gives clamp(s / u, 0, 1); 1 under <see cref="NeighbourWeighting.Equal"/>.
    /// </summary>
    public static double AgreementWeight(Neighbour neighbour, ScalingOptions scaling, PoolAgreement pool)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        ArgumentNullException.ThrowIfNull(scaling);
        ArgumentNullException.ThrowIfNull(pool);
        if (scaling.Weighting == NeighbourWeighting.Equal)
        {
            return 1;
        }

        double target = 1, unit = 1;
        if (scaling.AgreementTarget != AgreementTarget.One && pool.HasEvidence)
        {
            target = scaling.AgreementTarget == AgreementTarget.Pool ? Math.Clamp(pool.Mean, 0, 1) : pool.Mean;
            unit = scaling.AgreementTarget == AgreementTarget.PoolRelative ? Math.Max(pool.Mean, pool.Resolution) : 1;
        }

        double similarity = double.IsNaN(neighbour.Similarity) ? 0 : neighbour.Similarity;
        double evidence = neighbour.Evidence;
        double prior = scaling.AgreementPrior;
        if (prior <= 0 || double.IsNaN(evidence) || double.IsPositiveInfinity(evidence))
        {
            return Math.Clamp(similarity / unit, 0, 1);
        }

        evidence = Math.Max(evidence, 0);
        return Math.Clamp((((similarity * evidence) + (target * prior)) / (evidence + prior)) / unit, 0, 1);
    }

    /// <summary>The prototype level; also fills <paramref name="contentParts"/> (when given) with the content-derived
    /// part of each candidate's mean, the neighbours' w·x + p·scale·u (and the user's own, for the share it fills).</summary>
    private static double[]? PrototypeLevel(
        IReadOnlyList<Neighbour> pool,
        IReadOnlyList<Candidate> candidates,
        ScalingOptions scaling,
        ISet<string> used,
        IReadOnlyList<IReadOnlyList<Neighbour>>? judges,
        IReadOnlyList<double>? own,
        IReadOnlyList<double>? ownContent,
        double[]? contentParts)
    {
        ArgumentNullException.ThrowIfNull(pool);
        bool anyJudges = judges is not null && judges.Any(j => j.Count > 0);
        if (scaling.N <= 0 || (pool.Count == 0 && !anyJudges))
        {
            return null;
        }

        // The shrink target of the agreement weights: how the request's neighbours (pool and judges) agree among themselves.
        var agreement = scaling.Weighting == NeighbourWeighting.Agreement && scaling.AgreementTarget != AgreementTarget.One
            ? PoolAgreement.Of(judges is null ? pool : pool.Concat(judges.SelectMany(j => j)))
            : PoolAgreement.None;
        var scores = new double[candidates.Count];
        var chosen = new List<Neighbour>(scaling.N);
        for (int c = 0; c < candidates.Count; c++)
        {
            var candidate = candidates[c];
            chosen.Clear();

            // The item's own recent judges (any prototype), most similar first: their actual judgments of this
            // very response are the strongest personal signal the data holds.
            if (judges is not null && c < judges.Count)
            {
                foreach (var judge in judges[c])
                {
                    if (chosen.Count == scaling.N)
                    {
                        break;
                    }

                    chosen.Add(judge);
                }
            }

            foreach (var neighbour in pool)
            {
                if (chosen.Count == scaling.N)
                {
                    break;
                }

                if (neighbour.Judgments.ContainsKey(candidate.ItemId) && !chosen.Exists(n => n.UserId == neighbour.UserId))
                {
                    chosen.Add(neighbour);
                }
            }

            foreach (var neighbour in pool)
            {
                if (chosen.Count == scaling.N)
                {
                    break;
                }

                if (!neighbour.Judgments.ContainsKey(candidate.ItemId))
                {
                    chosen.Add(neighbour);
                }
            }

            if (chosen.Count == 0)
            {
                // Nobody to ask about this candidate: the prototype level abstains and the individual level decides.
                scores[c] = double.NaN;
                continue;
            }

            double total = 0;
            double content = 0;
            foreach (var neighbour in chosen)
            {
                double judgment = neighbour.Judgments.TryGetValue(candidate.ItemId, out var j) ? j : 0;
                double score = Score(neighbour.Scheme, candidate);
                double weight = AgreementWeight(neighbour, scaling, agreement);
                double rest = 1 - weight;
                total += (weight * (score + (scaling.JudgmentWeight * judgment))) + (rest == 0 ? 0 : rest * own![c]);
                content += (weight * (score - LearnedScore(neighbour.Scheme, candidate))) + (rest == 0 || ownContent is null ? 0 : rest * ownContent[c]);
                if (weight > 0)
                {
                    used.Add(neighbour.UserId);
                }
            }

            scores[c] = total / chosen.Count;
            if (contentParts is not null)
            {
                contentParts[c] = content / chosen.Count;
            }
        }

        return scores;
    }

    /// <summary>Runs both levels and fuses them.</summary>
    public static ScaledScores Fuse(
        IReadOnlyList<double[]> individualSchemes,
        IReadOnlyList<Candidate> candidates,
        IReadOnlyList<Neighbour> pool,
        ScalingOptions scaling,
        IReadOnlyList<IReadOnlyList<Neighbour>>? judges = null)
    {
        ArgumentNullException.ThrowIfNull(individualSchemes);
        ArgumentNullException.ThrowIfNull(candidates);
        int count = candidates.Count;
        var individual = new double[count];
        var content = new double[count];
        var votes = new List<int>();
        foreach (var scheme in individualSchemes)
        {
            var own = new double[count];
            for (int c = 0; c < count; c++)
            {
                own[c] = Score(scheme, candidates[c]);
                individual[c] += own[c] / individualSchemes.Count;
                content[c] += (own[c] - LearnedScore(scheme, candidates[c])) / individualSchemes.Count;
            }

            votes.Add(ArgMax(own));
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        var prototypeContent = new double[count];
        var prototype = PrototypeLevel(pool, candidates, scaling, used, judges, individual, content, prototypeContent);
        if (prototype is not null && prototype.Any(double.IsNaN))
        {
            // Fusing a partial prototype level would compare candidates on different scales; drop it whole.
            prototype = null;
            used.Clear();
        }

        var rewards = new double[count];
        double a = prototype is null ? 1.0 : scaling.IndividualWeight;
        for (int c = 0; c < count; c++)
        {
            rewards[c] = a * individual[c] + (prototype is null ? 0 : (1 - a) * prototype[c]);
        }

        if (prototype is not null)
        {
            var contributors = pool.Concat(judges?.SelectMany(j => j) ?? [])
                .Where(p => used.Contains(p.UserId))
                .DistinctBy(p => p.UserId, StringComparer.Ordinal);
            foreach (var neighbour in contributors)
            {
                var own = new double[count];
                for (int c = 0; c < count; c++)
                {
                    double judgment = neighbour.Judgments.TryGetValue(candidates[c].ItemId, out var j) ? j : 0;
                    own[c] = Score(neighbour.Scheme, candidates[c]) + scaling.JudgmentWeight * judgment;
                }

                votes.Add(ArgMax(own));
            }
        }

        int best = ArgMax(rewards);
        double agreement = votes.Count == 0 ? 1 : votes.Count(v => v == best) / (double)votes.Count;
        // Content: what the responses' text gives (w·x and p·scale·u, the user's and the neighbours'); collaborative:
        // what judgments taught (item strengths b, learned factor offsets o, neighbours' judgments of these items).
        var contentPart = content.Select((x, i) => (a * x) + (prototype is null ? 0 : (1 - a) * prototypeContent[i])).ToArray();
        var collaborative = rewards.Select((r, i) => r - contentPart[i]).ToArray();
        return new ScaledScores(rewards, individual, prototype, used.Order(StringComparer.Ordinal).ToArray(), agreement, CollaborativeShare(contentPart, collaborative))
        {
            Collaborative = collaborative,
        };
    }

    /// <summary>
    /// Fuses another content scorer's rewards (an LLM judge's fused scores) with the collaborative part of
    /// <paramref name="scaled"/> as <see cref="Fuse"/> fuses the model's content part: reward = content + what judgments
    /// taught. For items nobody judged that part is 0 and the rewards are <paramref name="content"/> unchanged.
    /// </summary>
    /// <param name="scaled">The fused scores whose collaborative part is kept (from <see cref="Fuse"/>).</param>
    /// <param name="content">The content scores replacing the model's content part, one per candidate.</param>
    /// <returns>The rewards with their collaborative share; the other fields are <paramref name="scaled"/>'s.</returns>
    public static ScaledScores WithContent(ScaledScores scaled, IReadOnlyList<double> content)
    {
        ArgumentNullException.ThrowIfNull(scaled);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Count != scaled.Collaborative.Length)
        {
            throw new ArgumentException($"Got {content.Count} content scores for {scaled.Collaborative.Length} candidates.", nameof(content));
        }

        var contentPart = content.ToArray();
        var rewards = contentPart.Select((x, i) => x + scaled.Collaborative[i]).ToArray();
        return scaled with { Rewards = rewards, CollaborativeShare = CollaborativeShare(contentPart, scaled.Collaborative) };
    }

    /// <summary>Index of the largest value; ties go to the lowest index.</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The collaborative part's share of the reward spread (0 when neither part varies).</summary>
    private static double CollaborativeShare(double[] contentPart, double[] collaborative)
    {
        double contentSpread = Spread(contentPart);
        double collaborativeSpread = Spread(collaborative);
        return contentSpread + collaborativeSpread == 0 ? 0 : collaborativeSpread / (contentSpread + collaborativeSpread);
    }

    private static double Spread(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}

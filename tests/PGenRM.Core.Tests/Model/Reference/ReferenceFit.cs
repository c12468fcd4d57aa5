using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;
using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model.Reference;

/// <summary>
/// A frozen copy of the user fit as it was before the fast numerics (main feab2ad: BayesianLogistic.Fit with a dense
/// Newton step per iteration, SchemeLearner.FitUser/FitUserAtScale, FoldedEvidence.Fold): the oracle the equivalence
/// tests and the Core bench compare the service's fit with. Not used by the service.
/// </summary>
internal static class ReferenceFit
{
    /// <summary>The old BayesianLogistic.Fit.</summary>
    public static ReferencePosterior Fit(DiagonalGaussian prior, double scale, IReadOnlyList<LogisticObservation> observations, ReferenceFolded? folded, double[]? start, int maxIterations)
    {
        int d = prior.Dimension;
        var theta = (double[])(start ?? prior.Mean).Clone();
        var lambda = new double[d];
        for (int i = 0; i < d; i++)
        {
            lambda[i] = scale * prior.Precision[i];
        }

        var grad = new double[d];
        var hess = new double[d * d];
        double objective = Objective(theta, prior.Mean, lambda, observations, folded);
        for (int iter = 0; iter < maxIterations; iter++)
        {
            Accumulate(theta, prior.Mean, lambda, observations, folded, grad, hess);
            var chol0 = DenseMatrix.OfColumnMajor(d, d, hess).Cholesky();
            var step = chol0.Solve(DenseVector.OfArray(grad)).AsArray();
            double t = 1.0;
            var candidate = new double[d];
            double next = double.NegativeInfinity;
            for (int halving = 0; halving < 20; halving++)
            {
                for (int i = 0; i < d; i++)
                {
                    candidate[i] = theta[i] + t * step[i];
                }

                next = Objective(candidate, prior.Mean, lambda, observations, folded);
                if (next >= objective - 1e-12)
                {
                    break;
                }

                t *= 0.5;
            }

            double change = 0;
            for (int i = 0; i < d; i++)
            {
                change = Math.Max(change, Math.Abs(candidate[i] - theta[i]));
            }

            Array.Copy(candidate, theta, d);
            objective = next;
            if (change < 1e-6)
            {
                break;
            }
        }

        Accumulate(theta, prior.Mean, lambda, observations, folded, grad, hess);
        var chol = DenseMatrix.OfColumnMajor(d, d, hess).Cholesky();
        double logDetPrior = 0;
        for (int i = 0; i < d; i++)
        {
            logDetPrior += Math.Log(lambda[i]);
        }

        double logEvidence = objective + 0.5 * logDetPrior - 0.5 * chol.DeterminantLn;
        var lower = chol.Factor.ToColumnMajorArray();
        return new ReferencePosterior(theta, lower, logEvidence, scale, LeaveOneOut(theta, lower, observations));
    }

    /// <summary>The old SchemeLearner.FitUser.</summary>
    public static ReferencePosterior FitUser(DiagonalGaussian prior, IReadOnlyList<LogisticObservation> observations, HybridModelOptions options, ReferenceFolded? folded = null, double[]? start = null)
    {
        int? split = options.CollaborativeOnResidual ? ContentSplit(observations, prior.Dimension) : null;
        var content = split is { } d ? observations.Select(o => ContentStage(o, d)).ToList() : observations;
        ReferencePosterior? best = null;
        var warm = start;
        foreach (double scale in options.PriorScaleGrid.OrderByDescending(s => s))
        {
            var fit = Fit(prior, scale, content, folded, warm, options.NewtonIterations);
            warm = fit.Mean;
            if (best is null || Criterion(fit, options) > Criterion(best, options) + 1e-9)
            {
                best = fit;
            }

            if (observations.Count == 0)
            {
                break;
            }
        }

        return split is { } contentLength ? FitCollaborativeOnResidual(prior, best!, observations, contentLength, options, folded, start) : best!;
    }

    /// <summary>The old SchemeLearner.FitUserAtScale.</summary>
    public static ReferencePosterior FitUserAtScale(DiagonalGaussian prior, double scale, IReadOnlyList<LogisticObservation> observations, HybridModelOptions options, double[]? start = null, ReferenceFolded? folded = null)
    {
        int? split = options.CollaborativeOnResidual ? ContentSplit(observations, prior.Dimension) : null;
        if (split is not { } d)
        {
            return Fit(prior, scale, observations, folded, start, options.NewtonIterations);
        }

        var content = Fit(prior, scale, observations.Select(o => ContentStage(o, d)).ToList(), folded, start, options.NewtonIterations);
        return FitCollaborativeOnResidual(prior, content, observations, d, options, folded, start);
    }

    private static double Criterion(ReferencePosterior fit, HybridModelOptions options) =>
        options.PriorScaleCriterion == PriorScaleCriterion.LeaveOneOut ? fit.LeaveOneOut : fit.LogEvidence;

    private static ReferencePosterior FitCollaborativeOnResidual(DiagonalGaussian prior, ReferencePosterior content, IReadOnlyList<LogisticObservation> observations, int contentLength, HybridModelOptions options, ReferenceFolded? folded, double[]? start)
    {
        int dimension = prior.Dimension;
        int f = dimension - contentLength;
        var w = content.Mean;
        var residual = new List<LogisticObservation>(observations.Count);
        foreach (var o in observations)
        {
            if (o.ContentLength is null || !(o.CollaborativeWeight > 0))
            {
                continue;
            }

            double margin = o.Offset;
            for (int i = 0; i < contentLength; i++)
            {
                margin += w[i] * o.Features[i];
            }

            residual.Add(new LogisticObservation(o.Features[contentLength..], margin, o.Weight * Math.Min(o.CollaborativeWeight, 1)));
        }

        var factorFolded = folded is null ? null : Conditional(folded, w, contentLength);
        ReferencePosterior? factor = null;
        if (residual.Count > 0 || factorFolded is not null)
        {
            var factorPrior = new DiagonalGaussian(prior.Mean[contentLength..], prior.Precision[contentLength..]);
            var warm = start is { Length: var n } && n == dimension ? start[contentLength..] : null;
            foreach (double scale in options.PriorScaleGrid.OrderByDescending(s => s))
            {
                var fit = Fit(factorPrior, scale, residual, factorFolded, warm, options.NewtonIterations);
                warm = fit.Mean;
                if (factor is null || Criterion(fit, options) > Criterion(factor, options) + 1e-9)
                {
                    factor = fit;
                }
            }
        }

        var scheme = (double[])w.Clone();
        var lower = new double[dimension * dimension];
        var contentLower = content.Lower;
        for (int j = 0; j < dimension; j++)
        {
            for (int i = j; i < dimension; i++)
            {
                lower[j * dimension + i] = j < contentLength
                    ? (i < contentLength ? contentLower[j * dimension + i] : 0)
                    : factor is null ? contentLower[j * dimension + i]
                    : factor.Lower[(j - contentLength) * f + (i - contentLength)];
            }
        }

        if (factor is not null)
        {
            Array.Copy(factor.Mean, 0, scheme, contentLength, f);
        }

        return new ReferencePosterior(scheme, lower, content.LogEvidence + (factor?.LogEvidence ?? 0), content.Scale, content.LeaveOneOut);
    }

    private static ReferenceFolded Conditional(ReferenceFolded folded, double[] w, int contentLength)
    {
        int dimension = folded.Mean.Length;
        int f = dimension - contentLength;
        var precision = folded.Precision;
        var mean = folded.Mean;
        var block = new double[f * f];
        var rhs = new double[f];
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < f; i++)
            {
                block[j * f + i] = precision[(contentLength + j) * dimension + contentLength + i];
            }
        }

        for (int i = 0; i < f; i++)
        {
            double total = 0;
            for (int j = 0; j < f; j++)
            {
                total += block[j * f + i] * mean[contentLength + j];
            }

            for (int j = 0; j < contentLength; j++)
            {
                total -= precision[j * dimension + contentLength + i] * (w[j] - mean[j]);
            }

            rhs[i] = total;
        }

        var regularised = (double[])block.Clone();
        for (int i = 0; i < f; i++)
        {
            regularised[i * f + i] += 1e-9;
        }

        var centre = DenseMatrix.OfColumnMajor(f, f, regularised).Solve(DenseVector.OfArray(rhs)).AsArray();
        return new ReferenceFolded(centre, block, folded.Count);
    }

    private static int? ContentSplit(IReadOnlyList<LogisticObservation> observations, int dimension)
    {
        foreach (var o in observations)
        {
            if (o.ContentLength is { } d && d < dimension)
            {
                return d;
            }
        }

        return null;
    }

    private static LogisticObservation ContentStage(LogisticObservation observation, int contentLength)
    {
        if (observation.ContentLength is null)
        {
            return observation;
        }

        var z = new double[observation.Features.Length];
        Array.Copy(observation.Features, z, Math.Min(contentLength, z.Length));
        return new LogisticObservation(z, 0, observation.Weight);
    }

    private static double LeaveOneOut(double[] theta, double[] lower, IReadOnlyList<LogisticObservation> observations)
    {
        int d = theta.Length;
        double total = 0;
        var y = new double[d];
        foreach (var o in observations)
        {
            for (int i = 0; i < d; i++)
            {
                double acc = o.Features[i];
                for (int k = 0; k < i; k++)
                {
                    acc -= lower[k * d + i] * y[k];
                }

                y[i] = acc / lower[i * d + i];
            }

            double h = 0;
            for (int i = 0; i < d; i++)
            {
                h += y[i] * y[i];
            }

            double eta = Dot(theta, o.Features) + o.Offset;
            double p = BayesianLogistic.Sigmoid(eta);
            double first = -o.Weight * (1 - p);
            double second = o.Weight * p * (1 - p);
            double denominator = Math.Max(1 - second * h, 1e-6);
            total += o.Weight * BayesianLogistic.LogSigmoid(eta + first * h / denominator);
        }

        return total;
    }

    private static double Objective(double[] theta, double[] mu, double[] lambda, IReadOnlyList<LogisticObservation> obs, ReferenceFolded? folded)
    {
        double f = 0;
        for (int k = 0; k < obs.Count; k++)
        {
            var o = obs[k];
            f += o.Weight * BayesianLogistic.LogSigmoid(Dot(theta, o.Features) + o.Offset);
        }

        for (int i = 0; i < theta.Length; i++)
        {
            double diff = theta[i] - mu[i];
            f -= 0.5 * lambda[i] * diff * diff;
        }

        if (folded is not null)
        {
            f -= 0.5 * folded.Quadratic(theta);
        }

        return f;
    }

    private static void Accumulate(double[] theta, double[] mu, double[] lambda, IReadOnlyList<LogisticObservation> obs, ReferenceFolded? folded, double[] grad, double[] hess)
    {
        int d = theta.Length;
        Array.Clear(hess);
        for (int i = 0; i < d; i++)
        {
            grad[i] = -lambda[i] * (theta[i] - mu[i]);
            hess[i * d + i] = lambda[i];
        }

        for (int k = 0; k < obs.Count; k++)
        {
            var o = obs[k];
            var z = o.Features;
            double p = BayesianLogistic.Sigmoid(Dot(theta, z) + o.Offset);
            double g = o.Weight * (1 - p);
            double s = o.Weight * p * (1 - p);
            TensorPrimitives.MultiplyAdd(z, g, grad, grad);
            if (s <= 0)
            {
                continue;
            }

            for (int j = 0; j < d; j++)
            {
                double szj = s * z[j];
                if (szj == 0)
                {
                    continue;
                }

                var col = hess.AsSpan(j * d + j, d - j);
                TensorPrimitives.MultiplyAdd(z.AsSpan(j), szj, col, col);
            }
        }

        for (int j = 0; j < d; j++)
        {
            for (int i = j + 1; i < d; i++)
            {
                hess[i * d + j] = hess[j * d + i];
            }
        }

        folded?.AddTo(theta, grad, hess);
    }

    private static double Dot(double[] a, double[] b) => TensorPrimitives.Dot(a.AsSpan(), b.AsSpan());
}

using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// Laplace-approximated Bayesian logistic regression for Bradley–Terry pairs, solved by damped Newton
/// steps. Every learner in PGenRM (user schemes, item statistics, the population model) goes through
/// this one routine, so the service and the offline evaluation compute the same posterior.
/// </summary>
public static class BayesianLogistic
{
    /// <summary>
    /// Fits the MAP of Σ_k w_k·log σ(θ·z_k + o_k) − ½(θ−μ)ᵀΛ(θ−μ), where Λ = scale·diag(basePrecision) (+ folded).
    /// Returns the posterior mean, its Cholesky factor of the precision and the Laplace log evidence.
    /// </summary>
    /// <param name="prior">Prior mean and diagonal base precision.</param>
    /// <param name="scale">Multiplier on the prior precision (the prior strength chosen by evidence).</param>
    /// <param name="observations">Pairs as (features, offset, weight); the label is always "chosen wins".</param>
    /// <param name="folded">Gaussian summary of observations that fell out of the bounded history, or null.</param>
    /// <param name="start">Warm start for Newton (e.g. the previous mean); null starts at the prior mean.</param>
    /// <param name="maxIterations">Newton iterations; 6 is plenty from a warm start.</param>
    public static LaplacePosterior Fit(
        DiagonalGaussian prior,
        double scale,
        IReadOnlyList<LogisticObservation> observations,
        FoldedEvidence? folded = null,
        double[]? start = null,
        int maxIterations = 8)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(observations);
        CheckScale(scale);
        return Fit(prior, scale, ObservationMatrix.Of(observations, prior.Dimension), folded, start, maxIterations);
    }

    /// <summary>
    /// <see cref="Fit(DiagonalGaussian, double, IReadOnlyList{LogisticObservation}, FoldedEvidence?, double[], int)"/> on
    /// observations already laid out (a grid search builds them once for all its scales). Each Newton step solves
    /// H x = g with H = Λ + Zᵀ S Z (+ folded): with no folded block and no more observations than parameters in the dual
    /// (kernel) form, x = Λ⁻¹g − Λ⁻¹ZᵀR (I + R Z Λ⁻¹ Zᵀ R)⁻¹ R Z Λ⁻¹ g with R = S^½ (Woodbury; an n×n system, and
    /// Z Λ⁻¹ Zᵀ is the scale-free Gram matrix over the scale), otherwise in the primal d×d form. Both are the same
    /// Newton step, so the iterates, the mean and the evidence (|H| = |Λ|·|I + R Z Λ⁻¹ Zᵀ R|) are the dense fit's up to
    /// rounding. The precision's Cholesky factor and the leave-one-out likelihood are computed when first read.
    /// </summary>
    internal static LaplacePosterior Fit(
        DiagonalGaussian prior,
        double scale,
        ObservationMatrix data,
        FoldedEvidence? folded,
        double[]? start,
        int maxIterations)
    {
        CheckScale(scale);
        int d = prior.Dimension;
        int n = data.Count;
        if (data.Dimension != d)
        {
            throw new ArgumentException($"The observations have {data.Dimension} features; the prior has {d}.", nameof(data));
        }

        var theta = (double[])(start ?? prior.Mean).Clone();
        if (theta.Length != d)
        {
            throw new ArgumentException($"The start vector has {theta.Length} dimensions; the prior has {d}.", nameof(start));
        }

        var mu = prior.Mean;
        var lambda = new double[d];
        for (int i = 0; i < d; i++)
        {
            lambda[i] = scale * prior.Precision[i];
        }

        bool dual = folded is null && n <= d;
        var grad = new double[d];
        var curvature = new double[n];
        var step = new double[d];
        var candidate = new double[d];
        var work = new double[Math.Max(n, d)];
        var matrix = dual ? new double[n * n] : new double[d * d];
        var gram = dual ? data.Gram(prior.Precision) : null;
        double objective = Objective(theta, mu, lambda, data, folded);

        for (int iter = 0; iter < maxIterations; iter++)
        {
            Gradient(theta, mu, lambda, data, grad, curvature);
            if (dual)
            {
                DualStep(data, gram!, scale, lambda, grad, curvature, matrix, step, work);
            }
            else
            {
                folded?.AddGradient(theta, grad);
                Hessian(data, lambda, curvature, folded, matrix, work);
                grad.CopyTo(step, 0);
                DenseCholesky.Factor(matrix, d);
                DenseCholesky.Solve(matrix, d, step);
            }

            // Newton ascent with step halving: the objective is concave, so a full step almost always
            // improves it; halving only guards against overshoot from a far start.
            double t = 1.0;
            double next = double.NegativeInfinity;
            for (int halving = 0; halving < 20; halving++)
            {
                for (int i = 0; i < d; i++)
                {
                    candidate[i] = theta[i] + t * step[i];
                }

                next = Objective(candidate, mu, lambda, data, folded);
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

        // Precision at the mode (Laplace), and the evidence log p(D|scale) ≈ f(θ*) + ½ log|Λ0| − ½ log|H|.
        // The folded block counts as likelihood, so only the prior's log-determinant enters the evidence;
        // that keeps evidences comparable across prior scales.
        Gradient(theta, mu, lambda, data, grad, curvature);
        double logEvidence;
        Func<double[]> lower;
        if (dual)
        {
            // |H| = |Λ|·|M|, so the prior's log-determinant cancels: f(θ*) − ½ log|M|.
            double logDetM = DualMatrix(gram!, scale, curvature, n, matrix, work);
            logEvidence = objective - 0.5 * logDetM;
            lower = () =>
            {
                var hess = new double[d * d];
                Hessian(data, lambda, curvature, null, hess, new double[Math.Max(n, d)]);
                data.ReleaseCaches();
                DenseCholesky.Factor(hess, d);
                return DenseCholesky.PackLower(hess, d);
            };
        }
        else
        {
            var hess = matrix;
            Hessian(data, lambda, curvature, folded, hess, work);
            double logDetH = DenseCholesky.Factor(hess, d);
            var packed = DenseCholesky.PackLower(hess, d);
            double logDetPrior = 0;
            for (int i = 0; i < d; i++)
            {
                logDetPrior += Math.Log(lambda[i]);
            }

            logEvidence = objective + 0.5 * logDetPrior - 0.5 * logDetH;
            lower = () => packed;
        }

        // The leave-one-out likelihood needs the observations; a dual fit keeps them anyway (for its factor, at most
        // d rows, less than the d×d factor), a primal one computes it when settled (SchemeLearner, for the fit it keeps).
        LaplacePosterior? posterior = null;
        posterior = new LaplacePosterior(theta, lower, logEvidence, scale, () => LeaveOneOut(theta, posterior!.PackedLower, data))
        {
            LeaveOneOutOnSettle = !dual,
        };
        return posterior;
    }

    private static void CheckScale(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The prior scale must be a positive finite number.");
        }
    }

    /// <summary>
    /// Approximate leave-one-out log-likelihood (one Newton step from the full fit, Sherman–Morrison on the Hessian):
    /// η₋ₖ ≈ ηₖ + ℓ'ₖ·hₖ/(1 − ℓ''ₖ·hₖ) with hₖ = zₖᵀH⁻¹zₖ. Unlike the Laplace evidence it does not reward a weak
    /// prior when a user's few pairs are separable, which with ~70 pairs in ~80 dimensions they often are.
    /// </summary>
    private static double LeaveOneOut(double[] theta, double[] lower, ObservationMatrix data) // lower: packed
    {
        int d = theta.Length;
        int n = data.Count;
        if (n == 0)
        {
            return 0;
        }

        // hₖ = |L⁻¹ zₖ|² for all k at once: Y = L⁻¹ Zᵀ by forward substitution over the feature rows (each step a
        // length-n span operation), then hₖ = Σⱼ Yⱼₖ².
        var y = new double[d * n];
        var h = new double[n];
        for (int j = 0; j < d; j++)
        {
            var row = y.AsSpan(j * n, n);
            data.Column(j).CopyTo(row);
            for (int k = 0; k < j; k++)
            {
                double ljk = lower[DenseCholesky.PackedOffset(k, d) + j - k];
                if (ljk != 0)
                {
                    TensorPrimitives.MultiplyAdd(y.AsSpan(k * n, n), -ljk, row, row);
                }
            }

            TensorPrimitives.Divide(row, lower[DenseCholesky.PackedOffset(j, d)], row);
            TensorPrimitives.MultiplyAdd(row, row, h, h);
        }

        double total = 0;
        for (int k = 0; k < n; k++)
        {
            double weight = data.Weights[k];
            double eta = TensorPrimitives.Dot(theta.AsSpan(), data.Row(k)) + data.Offsets[k];
            double p = Sigmoid(eta);
            double first = -weight * (1 - p);
            double second = weight * p * (1 - p);
            double denominator = Math.Max(1 - second * h[k], 1e-6);
            total += weight * LogSigmoid(eta + first * h[k] / denominator);
        }

        return total;
    }

    /// <summary>Log σ(x) computed without overflow.</summary>
    public static double LogSigmoid(double x) => x >= 0 ? -double.LogP1(Math.Exp(-x)) : x - double.LogP1(Math.Exp(x));

    /// <summary>σ(x) computed without overflow.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static double Objective(double[] theta, double[] mu, double[] lambda, ObservationMatrix data, FoldedEvidence? folded)
    {
        double f = 0;
        for (int k = 0; k < data.Count; k++)
        {
            f += data.Weights[k] * LogSigmoid(TensorPrimitives.Dot(theta.AsSpan(), data.Row(k)) + data.Offsets[k]);
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

    /// <summary>Gradient of the objective without the folded block, and each observation's curvature sₖ = wₖ pₖ (1 − pₖ).</summary>
    private static void Gradient(double[] theta, double[] mu, double[] lambda, ObservationMatrix data, double[] grad, double[] curvature)
    {
        for (int i = 0; i < grad.Length; i++)
        {
            grad[i] = -lambda[i] * (theta[i] - mu[i]);
        }

        for (int k = 0; k < data.Count; k++)
        {
            var z = data.Row(k);
            double p = Sigmoid(TensorPrimitives.Dot(theta.AsSpan(), z) + data.Offsets[k]);
            double weight = data.Weights[k];
            curvature[k] = weight * p * (1 - p);
            TensorPrimitives.MultiplyAdd(z, weight * (1 - p), grad, grad);
        }
    }

    /// <summary>
    /// The negative Hessian Λ + Zᵀ S Z (+ the folded precision), its lower triangle into the column-major d×d
    /// <paramref name="hess"/> (entry (i, j), i ≥ j, is Λᵢⱼ + Σₖ sₖ zₖᵢ zₖⱼ, one dot product over the feature columns).
    /// </summary>
    private static void Hessian(ObservationMatrix data, double[] lambda, double[] curvature, FoldedEvidence? folded, double[] hess, double[] work)
    {
        int d = lambda.Length;
        int n = data.Count;
        var weighted = work.AsSpan(0, n);
        var s = curvature.AsSpan(0, n);
        for (int j = 0; j < d; j++)
        {
            var column = hess.AsSpan((j * d) + j, d - j);
            if (n == 0 || data.IsZeroColumn(j))
            {
                column.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(data.Column(j), s, weighted);
                for (int i = j; i < d; i++)
                {
                    column[i - j] = data.IsZeroColumn(i) ? 0 : TensorPrimitives.Dot(weighted, data.Column(i));
                }
            }

            column[0] += lambda[j];
        }

        folded?.AddLower(hess);
    }

    /// <summary>
    /// The dual Newton step (no folded block): u = Λ⁻¹g, then x = u − Λ⁻¹ZᵀR M⁻¹ R Z u with M = I + R G R / scale.
    /// </summary>
    private static void DualStep(ObservationMatrix data, double[] gram, double scale, double[] lambda, double[] grad, double[] curvature, double[] matrix, double[] step, double[] work)
    {
        int d = lambda.Length;
        int n = data.Count;
        for (int i = 0; i < d; i++)
        {
            step[i] = grad[i] / lambda[i];
        }

        if (n == 0)
        {
            return;
        }

        DualMatrix(gram, scale, curvature, n, matrix, work);
        var v = work.AsSpan(0, n);
        for (int k = 0; k < n; k++)
        {
            v[k] = Math.Sqrt(curvature[k]) * TensorPrimitives.Dot(data.Row(k), step);
        }

        DenseCholesky.Solve(matrix, n, v);
        var correction = new double[d];
        for (int k = 0; k < n; k++)
        {
            double c = Math.Sqrt(curvature[k]) * v[k];
            if (c != 0)
            {
                TensorPrimitives.MultiplyAdd(data.Row(k), c, correction, correction);
            }
        }

        for (int i = 0; i < d; i++)
        {
            step[i] -= correction[i] / lambda[i];
        }
    }

    /// <summary>Factors M = I + R G R / scale (n×n, R = diag(√sₖ)) into <paramref name="matrix"/>; returns log|M|.</summary>
    private static double DualMatrix(double[] gram, double scale, double[] curvature, int n, double[] matrix, double[] work)
    {
        var r = work.AsSpan(0, n);
        for (int k = 0; k < n; k++)
        {
            r[k] = Math.Sqrt(curvature[k]);
        }

        double inverseScale = 1 / scale;
        for (int l = 0; l < n; l++)
        {
            double rl = r[l] * inverseScale;
            for (int k = l; k < n; k++)
            {
                matrix[(l * n) + k] = rl * r[k] * gram[(l * n) + k];
            }

            matrix[(l * n) + l] += 1;
        }

        return DenseCholesky.Factor(matrix, n);
    }

    internal static double Dot(double[] a, double[] b) => TensorPrimitives.Dot(a.AsSpan(), b.AsSpan());
}

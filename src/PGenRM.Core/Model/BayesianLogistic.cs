using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Factorization;

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
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The prior scale must be a positive finite number.");
        }

        int d = prior.Dimension;
        var theta = (double[])(start ?? prior.Mean).Clone();
        if (theta.Length != d)
        {
            throw new ArgumentException($"The start vector has {theta.Length} dimensions; the prior has {d}.", nameof(start));
        }

        var lambda = new double[d];
        for (int i = 0; i < d; i++)
        {
            lambda[i] = scale * prior.Precision[i];
        }

        var grad = new double[d];
        var hess = new double[d * d];
        double objective = Objective(theta, prior.Mean, lambda, observations, folded);
        Cholesky<double>? chol = null;

        for (int iter = 0; iter < maxIterations; iter++)
        {
            Accumulate(theta, prior.Mean, lambda, observations, folded, grad, hess);
            chol = DenseMatrix.OfColumnMajor(d, d, hess).Cholesky();
            var step = chol.Solve(DenseVector.OfArray(grad)).AsArray();

            // Newton ascent with step halving: the objective is concave, so a full step almost always
            // improves it; halving only guards against overshoot from a far start.
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

        // Precision at the mode (Laplace), and the evidence log p(D|scale) ≈ f(θ*) + ½ log|Λ0| − ½ log|H|.
        Accumulate(theta, prior.Mean, lambda, observations, folded, grad, hess);
        chol = DenseMatrix.OfColumnMajor(d, d, hess).Cholesky();
        double logDetPrior = 0;
        for (int i = 0; i < d; i++)
        {
            logDetPrior += Math.Log(lambda[i]);
        }

        // The folded block counts as likelihood, so only the prior's log-determinant enters the evidence;
        // that keeps evidences comparable across prior scales.
        double logEvidence = objective + 0.5 * logDetPrior - 0.5 * chol.DeterminantLn;
        var lower = chol.Factor.ToColumnMajorArray();
        return new LaplacePosterior(theta, lower, logEvidence, scale)
        {
            LeaveOneOutLogLikelihood = LeaveOneOut(theta, lower, observations),
        };
    }

    /// <summary>
    /// Approximate leave-one-out log-likelihood (one Newton step from the full fit, Sherman–Morrison on the Hessian):
    /// η₋ₖ ≈ ηₖ + ℓ'ₖ·hₖ/(1 − ℓ''ₖ·hₖ) with hₖ = zₖᵀH⁻¹zₖ. Unlike the Laplace evidence it does not reward a weak
    /// prior when a user's few pairs are separable, which with ~70 pairs in ~80 dimensions they often are.
    /// </summary>
    private static double LeaveOneOut(double[] theta, double[] lower, IReadOnlyList<LogisticObservation> observations)
    {
        int d = theta.Length;
        double total = 0;
        var y = new double[d];
        foreach (var o in observations)
        {
            // h = |L⁻¹ z|² by forward substitution.
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
            double p = Sigmoid(eta);
            double first = -o.Weight * (1 - p);
            double second = o.Weight * p * (1 - p);
            double denominator = Math.Max(1 - second * h, 1e-6);
            total += o.Weight * LogSigmoid(eta + first * h / denominator);
        }

        return total;
    }

    /// <summary>Log σ(x) computed without overflow.</summary>
    public static double LogSigmoid(double x) => x >= 0 ? -double.LogP1(Math.Exp(-x)) : x - double.LogP1(Math.Exp(x));

    /// <summary>σ(x) computed without overflow.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static double Objective(double[] theta, double[] mu, double[] lambda, IReadOnlyList<LogisticObservation> obs, FoldedEvidence? folded)
    {
        double f = 0;
        for (int k = 0; k < obs.Count; k++)
        {
            var o = obs[k];
            f += o.Weight * LogSigmoid(Dot(theta, o.Features) + o.Offset);
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

    /// <summary>Gradient of the objective and the negative Hessian (positive definite), column-major.</summary>
    private static void Accumulate(double[] theta, double[] mu, double[] lambda, IReadOnlyList<LogisticObservation> obs, FoldedEvidence? folded, double[] grad, double[] hess)
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
            double p = Sigmoid(Dot(theta, z) + o.Offset);
            double g = o.Weight * (1 - p);
            double s = o.Weight * p * (1 - p);
            TensorPrimitives.MultiplyAdd(z, g, grad, grad);
            if (s <= 0)
            {
                continue;
            }

            // Rank-1 update of the lower triangle only; mirrored once below.
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

    internal static double Dot(double[] a, double[] b) => TensorPrimitives.Dot(a.AsSpan(), b.AsSpan());
}

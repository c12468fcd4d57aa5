namespace PGenRM.Core.Model;

/// <summary>
/// Gaussian summary of observations that left a bounded history: ½(θ−m)ᵀP(θ−m) is subtracted from the
/// log posterior. Folding uses the Laplace curvature at the time of folding, which is what lets a user
/// keep only the last N pairs and still remember everything (sufficient statistics, not raw pairs).
/// </summary>
public sealed class FoldedEvidence
{
    private readonly double[] _mean;

    // Column-major d×d, symmetric; allocated by the first fold (51 KB at d = 80, which most users, whose history
    // never overflows, would otherwise carry as zeros).
    private double[]? _precision;

    /// <summary>Creates an empty summary for d parameters.</summary>
    public FoldedEvidence(int dimension)
    {
        _mean = new double[dimension];
    }

    /// <summary>Restores a stored summary.</summary>
    public FoldedEvidence(double[] mean, double[] precision, int count)
    {
        if (precision.Length != mean.Length * mean.Length)
        {
            throw new ArgumentException("The precision must be d×d for a mean of length d.", nameof(precision));
        }

        _mean = mean;
        _precision = precision;
        Count = count;
    }

    /// <summary>How many observations were folded in.</summary>
    public int Count { get; private set; }

    /// <summary>Centre of the summary.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Precision of the summary (column-major; zeros while nothing curved was folded).</summary>
    public ReadOnlySpan<double> Precision => _precision ?? new double[_mean.Length * _mean.Length];

    /// <summary>
    /// Folds one observation into the summary using its curvature at <paramref name="at"/> (the current
    /// posterior mean) and a linearisation of its gradient there, so the summary's optimum moves the way the
    /// observation pulled. The new centre solves (P + H)m' = P m + H a + g; computed by a damped update
    /// that stays exact for the common case of a well-conditioned P.
    /// </summary>
    public void Fold(LogisticObservation observation, double[] at)
    {
        int d = _mean.Length;
        var z = observation.Features;
        double p = BayesianLogistic.Sigmoid(BayesianLogistic.Dot(at, z) + observation.Offset);
        double s = observation.Weight * p * (1 - p);
        double g = observation.Weight * (1 - p);

        // Represent the observation as the quadratic ½ s (zᵀθ − t)² with t chosen so its gradient at `at`
        // matches g: s (zᵀa − t) = −g  ⇒  t = zᵀa + g/s. Adding this to ½(θ−m)ᵀP(θ−m) keeps one quadratic.
        if (s < 1e-12)
        {
            Count++;
            return;
        }

        double target = BayesianLogistic.Dot(at, z) + g / s;
        var precision = _precision ??= new double[d * d];

        // New quadratic: θᵀ(P + s zzᵀ)θ − 2θᵀ(P m + s t z). Keep m as the minimiser of the combined form
        // by one Sherman–Morrison-free step: solve in place with the current P when it is invertible,
        // otherwise store the linear term implicitly through the mean shift along z.
        var pm = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mj = _mean[j];
            if (mj == 0)
            {
                continue;
            }

            for (int i = 0; i < d; i++)
            {
                pm[i] += precision[j * d + i] * mj;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double szj = s * z[j];
            for (int i = 0; i < d; i++)
            {
                precision[j * d + i] += szj * z[i];
            }

            pm[j] += s * target * z[j];
        }

        // m' = P'^{-1} (P m + s t z); P' may be singular (few folds), so regularise lightly for the solve only.
        var reg = (double[])precision.Clone();
        for (int i = 0; i < d; i++)
        {
            reg[i * d + i] += 1e-9;
        }

        var solved = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfColumnMajor(d, d, reg)
            .Solve(MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfArray(pm)).AsArray();
        Array.Copy(solved, _mean, d);
        Count++;
    }

    /// <summary>(θ−m)ᵀP(θ−m).</summary>
    public double Quadratic(double[] theta)
    {
        var precision = _precision;
        if (precision is null)
        {
            return 0;
        }

        int d = _mean.Length;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double dj = theta[j] - _mean[j];
            if (dj == 0)
            {
                continue;
            }

            double acc = 0;
            for (int i = 0; i < d; i++)
            {
                acc += precision[j * d + i] * (theta[i] - _mean[i]);
            }

            total += dj * acc;
        }

        return total;
    }

    /// <summary>Adds −P(θ−m) to the gradient.</summary>
    internal void AddGradient(double[] theta, double[] grad)
    {
        if (_precision is null)
        {
            return;
        }

        int d = _mean.Length;
        for (int j = 0; j < d; j++)
        {
            double dj = theta[j] - _mean[j];
            if (dj != 0)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_precision.AsSpan(j * d, d), -dj, grad, grad);
            }
        }
    }

    /// <summary>Adds P to the lower triangle (diagonal included) of the column-major (negative) Hessian.</summary>
    internal void AddLower(double[] hess)
    {
        if (_precision is null)
        {
            return;
        }

        int d = _mean.Length;
        for (int j = 0; j < d; j++)
        {
            var column = hess.AsSpan((j * d) + j, d - j);
            System.Numerics.Tensors.TensorPrimitives.Add(column, _precision.AsSpan((j * d) + j, d - j), column);
        }
    }
}

using MathNet.Numerics.LinearAlgebra.Double;

namespace PGenRM.Core.Model;

/// <summary>
/// A Gaussian posterior N(Mean, H⁻¹) from a Laplace fit, kept as the Cholesky factor L of the precision H = L Lᵀ.
/// </summary>
public sealed class LaplacePosterior
{
    private readonly double[] _choleskyLower; // column-major d×d

    /// <summary>Creates a posterior from a mean and the lower Cholesky factor of its precision.</summary>
    public LaplacePosterior(double[] mean, double[] choleskyLower, double logEvidence, double scale)
    {
        Mean = mean;
        _choleskyLower = choleskyLower;
        LogEvidence = logEvidence;
        Scale = scale;
    }

    /// <summary>Posterior mean (the MAP scheme).</summary>
    public double[] Mean { get; }

    /// <summary>Laplace approximation of log p(data | prior scale).</summary>
    public double LogEvidence { get; }

    /// <summary>Approximate leave-one-out log-likelihood of the fitted observations (0 with none).</summary>
    public double LeaveOneOutLogLikelihood { get; init; }

    /// <summary>The prior-strength multiplier this posterior was fitted with.</summary>
    public double Scale { get; }

    /// <summary>The lower Cholesky factor of the precision, column-major (for assembling block posteriors).</summary>
    internal double[] CholeskyLower => _choleskyLower;

    /// <summary>Number of parameters.</summary>
    public int Dimension => Mean.Length;

    /// <summary>zᵀ H⁻¹ z: the posterior variance of the score difference along z.</summary>
    public double Variance(ReadOnlySpan<double> z)
    {
        int d = Mean.Length;
        var y = z.ToArray();
        // Forward substitution L y = z; the variance is |y|².
        for (int i = 0; i < d; i++)
        {
            double acc = y[i];
            for (int k = 0; k < i; k++)
            {
                acc -= _choleskyLower[k * d + i] * y[k];
            }

            y[i] = acc / _choleskyLower[i * d + i];
        }

        double total = 0;
        for (int i = 0; i < d; i++)
        {
            total += y[i] * y[i];
        }

        return total;
    }

    /// <summary>
    /// Probability that the chosen side wins, integrating over the posterior with the probit approximation
    /// σ(μ / √(1 + π s² / 8)). This is where posterior uncertainty is useful: it calibrates the probability
    /// without changing which side is preferred.
    /// </summary>
    public double PreferenceProbability(ReadOnlySpan<double> z, double offset)
    {
        double mu = System.Numerics.Tensors.TensorPrimitives.Dot(Mean.AsSpan(), z) + offset;
        double v = Variance(z);
        return BayesianLogistic.Sigmoid(mu / Math.Sqrt(1 + Math.PI * v / 8));
    }

    /// <summary>Draws θ ~ N(Mean, H⁻¹) by solving Lᵀ x = ε.</summary>
    public double[] Sample(Random random)
    {
        int d = Mean.Length;
        var eps = new double[d];
        for (int i = 0; i < d; i++)
        {
            eps[i] = StandardNormal.Next(random);
        }

        var x = DenseMatrix.OfColumnMajor(d, d, _choleskyLower).Transpose().Solve(DenseVector.OfArray(eps)).AsArray();
        for (int i = 0; i < d; i++)
        {
            x[i] += Mean[i];
        }

        return x;
    }
}

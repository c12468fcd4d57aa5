using MathNet.Numerics.LinearAlgebra.Double;

namespace PGenRM.Core.Model;

/// <summary>
/// A Gaussian posterior N(Mean, H⁻¹) from a Laplace fit, kept as the Cholesky factor L of the precision H = L Lᵀ.
/// A fit may hand the factor and the leave-one-out likelihood over as computations run when first read: a grid
/// search keeps one fit of many, and the online user update reads only the mean.
/// </summary>
public sealed class LaplacePosterior
{
    private readonly Lazy<double[]> _packedLower; // the factor's lower triangle, packed column by column (DenseCholesky)
    private readonly Lazy<double>? _leaveOneOut;
    private readonly double _leaveOneOutValue;

    /// <summary>Creates a posterior from a mean and the lower Cholesky factor of its precision.</summary>
    public LaplacePosterior(double[] mean, double[] choleskyLower, double logEvidence, double scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(choleskyLower);
        Mean = mean;
        _packedLower = new Lazy<double[]>(DenseCholesky.PackLower(choleskyLower, mean.Length));
        LogEvidence = logEvidence;
        Scale = scale;
    }

    /// <summary>
    /// Creates a posterior whose factor (packed, <see cref="DenseCholesky.PackLower"/>) and leave-one-out likelihood are
    /// computed when first read.
    /// </summary>
    internal LaplacePosterior(double[] mean, Func<double[]> packedLower, double logEvidence, double scale, Func<double> leaveOneOut)
    {
        Mean = mean;
        _packedLower = new Lazy<double[]>(packedLower);
        _leaveOneOut = new Lazy<double>(leaveOneOut);
        LogEvidence = logEvidence;
        Scale = scale;
    }

    /// <summary>Posterior mean (the MAP scheme).</summary>
    public double[] Mean { get; }

    /// <summary>Laplace approximation of log p(data | prior scale).</summary>
    public double LogEvidence { get; }

    /// <summary>Approximate leave-one-out log-likelihood of the fitted observations (0 with none).</summary>
    public double LeaveOneOutLogLikelihood
    {
        get => _leaveOneOut?.Value ?? _leaveOneOutValue;
        init
        {
            _leaveOneOutValue = value;
            _leaveOneOut = null;
        }
    }

    /// <summary>
    /// Whether <see cref="Settle"/> computes the leave-one-out likelihood now (a primal fit, whose deferred computation
    /// would keep all its observations alive for as long as the posterior).
    /// </summary>
    internal bool LeaveOneOutOnSettle { get; init; }

    /// <summary>
    /// Called on a posterior that is kept (a user's): computes what would otherwise hold large inputs alive, so the
    /// posterior keeps no more than its own numbers (and, for a dual fit, its at most d observations).
    /// </summary>
    internal void Settle()
    {
        if (LeaveOneOutOnSettle)
        {
            _ = LeaveOneOutLogLikelihood;
        }
    }

    /// <summary>The prior-strength multiplier this posterior was fitted with.</summary>
    public double Scale { get; }

    /// <summary>
    /// The lower Cholesky factor of the precision, packed column by column (<see cref="DenseCholesky.PackLower"/>): half
    /// the dense d×d matrix a kept posterior would otherwise hold.
    /// </summary>
    internal double[] PackedLower => _packedLower.Value;

    /// <summary>Number of parameters.</summary>
    public int Dimension => Mean.Length;

    /// <summary>zᵀ H⁻¹ z: the posterior variance of the score difference along z.</summary>
    public double Variance(ReadOnlySpan<double> z)
    {
        int d = Mean.Length;
        var y = z[..d].ToArray();
        // Forward substitution L y = z; the variance is |y|².
        DenseCholesky.ForwardSubstitutePacked(PackedLower, d, y);
        return System.Numerics.Tensors.TensorPrimitives.Dot(y, y);
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

        var x = DenseMatrix.OfColumnMajor(d, d, DenseCholesky.UnpackLower(PackedLower, d)).Transpose().Solve(DenseVector.OfArray(eps)).AsArray();
        for (int i = 0; i < d; i++)
        {
            x[i] += Mean[i];
        }

        return x;
    }
}

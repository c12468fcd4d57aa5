namespace PGenRM.Core.Model;

/// <summary>
/// Gaussian summary of observations that left a bounded history: ½(θ−m)ᵀP(θ−m) is subtracted from the
/// log posterior. Folding uses the Laplace curvature at the time of folding, which is what lets a user
/// keep only the last N pairs and still remember everything (sufficient statistics, not raw pairs).
/// </summary>
public sealed class FoldedEvidence
{
    private readonly double[] _mean;

    // The symmetric d×d precision as its lower triangle, column by column (column j = rows j..d−1 at Offset(j)): half
    // the dense matrix (25.9 KB instead of 51.2 KB at d = 80), allocated by the first fold, which most users, whose
    // history never overflows, never reach.
    private double[]? _packed;

    /// <summary>Creates an empty summary for d parameters.</summary>
    public FoldedEvidence(int dimension)
    {
        _mean = new double[dimension];
    }

    /// <summary>Restores a stored summary (the precision column-major d×d; its lower triangle is read).</summary>
    public FoldedEvidence(double[] mean, double[] precision, int count)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(precision);
        if (precision.Length != mean.Length * mean.Length)
        {
            throw new ArgumentException("The precision must be d×d for a mean of length d.", nameof(precision));
        }

        int d = mean.Length;
        _mean = mean;
        _packed = new double[PackedSymmetric.Length(d)];
        for (int j = 0; j < d; j++)
        {
            precision.AsSpan((j * d) + j, d - j).CopyTo(_packed.AsSpan(Offset(j, d)));
        }

        Count = count;
    }

    /// <summary>How many observations were folded in.</summary>
    public int Count { get; private set; }

    /// <summary>Centre of the summary.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Precision of the summary as a full column-major d×d matrix (a new array; zeros while nothing curved was folded).</summary>
    public ReadOnlySpan<double> Precision
    {
        get
        {
            int d = _mean.Length;
            var full = new double[d * d];
            if (_packed is not null)
            {
                for (int j = 0; j < d; j++)
                {
                    for (int i = j; i < d; i++)
                    {
                        double v = _packed[Offset(j, d) + i - j];
                        full[(j * d) + i] = v;
                        full[(i * d) + j] = v;
                    }
                }
            }

            return full;
        }
    }

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
        var packed = _packed ??= new double[PackedSymmetric.Length(d)];

        // New quadratic: θᵀ(P + s zzᵀ)θ − 2θᵀ(P m + s t z). Keep m as the minimiser of the combined form.
        var pm = new double[d];
        MultiplyAdd(packed, d, _mean, 1, pm);
        for (int j = 0; j < d; j++)
        {
            var column = packed.AsSpan(Offset(j, d), d - j);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(z.AsSpan(j, d - j), s * z[j], column, column);
            pm[j] += s * target * z[j];
        }

        // m' = P'^{-1} (P m + s t z); P' may be singular (few folds), so regularise lightly for the solve only.
        var reg = Precision.ToArray();
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
        if (_packed is null)
        {
            return 0;
        }

        int d = _mean.Length;
        var delta = new double[d];
        System.Numerics.Tensors.TensorPrimitives.Subtract(theta, _mean, delta);
        var product = new double[d];
        MultiplyAdd(_packed, d, delta, 1, product);
        return System.Numerics.Tensors.TensorPrimitives.Dot(delta, product);
    }

    /// <summary>The precision's entry (i, j).</summary>
    internal double PrecisionAt(int i, int j)
    {
        if (_packed is null)
        {
            return 0;
        }

        int d = _mean.Length;
        return i >= j ? _packed[Offset(j, d) + i - j] : _packed[Offset(i, d) + j - i];
    }

    /// <summary>Adds −P(θ−m) to the gradient.</summary>
    internal void AddGradient(double[] theta, double[] grad)
    {
        if (_packed is null)
        {
            return;
        }

        int d = _mean.Length;
        var delta = new double[d];
        System.Numerics.Tensors.TensorPrimitives.Subtract(theta, _mean, delta);
        MultiplyAdd(_packed, d, delta, -1, grad);
    }

    /// <summary>Adds P to the lower triangle (diagonal included) of the column-major (negative) Hessian.</summary>
    internal void AddLower(double[] hess)
    {
        if (_packed is null)
        {
            return;
        }

        int d = _mean.Length;
        for (int j = 0; j < d; j++)
        {
            var column = hess.AsSpan((j * d) + j, d - j);
            System.Numerics.Tensors.TensorPrimitives.Add(column, _packed.AsSpan(Offset(j, d), d - j), column);
        }
    }

    /// <summary>Where column j of the packed lower triangle starts.</summary>
    private static int Offset(int j, int d) => (j * d) - (j * (j - 1) / 2);

    /// <summary>result += factor·P·x for the packed symmetric P (each stored column used for its column and its row).</summary>
    private static void MultiplyAdd(double[] packed, int d, ReadOnlySpan<double> x, double factor, Span<double> result)
    {
        for (int j = 0; j < d; j++)
        {
            var column = packed.AsSpan(Offset(j, d), d - j);
            double xj = factor * x[j];
            if (xj != 0)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(column, xj, result[j..], result[j..]);
            }

            if (d - j > 1)
            {
                result[j] += factor * System.Numerics.Tensors.TensorPrimitives.Dot(column[1..], x[(j + 1)..]);
            }
        }
    }
}

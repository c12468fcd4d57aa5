using System.Numerics.Tensors;

namespace PGenRM.Core.Model;

/// <summary>
/// A fit's observations as one contiguous row-major n×d array with their offsets and weights, built once and shared by
/// every prior scale of a grid search (and the Newton steps within): dot products run over contiguous memory, the
/// Hessian's Zᵀ S Z over feature columns, and the dual (kernel) form's Gram matrix Z diag(1/base)Zᵀ is computed once.
/// </summary>
internal sealed class ObservationMatrix
{
    private double[]? _columns; // d×n: feature i's values over the observations, for the Hessian's dot products
    private bool[]? _zeroColumn;
    private double[]? _gram;
    private double[]? _gramPrecision;

    private ObservationMatrix(int count, int dimension, double[] rows, double[] offsets, double[] weights)
    {
        Count = count;
        Dimension = dimension;
        Rows = rows;
        Offsets = offsets;
        Weights = weights;
    }

    /// <summary>Number of observations n.</summary>
    public int Count { get; }

    /// <summary>Number of parameters d.</summary>
    public int Dimension { get; }

    /// <summary>Features, row k at [k·d, (k+1)·d).</summary>
    public double[] Rows { get; }

    /// <summary>Offsets per observation.</summary>
    public double[] Offsets { get; }

    /// <summary>Weights per observation.</summary>
    public double[] Weights { get; }

    /// <summary>Features of observation k.</summary>
    public ReadOnlySpan<double> Row(int k) => Rows.AsSpan(k * Dimension, Dimension);

    /// <summary>The observations as given.</summary>
    public static ObservationMatrix Of(IReadOnlyList<LogisticObservation> observations, int dimension) =>
        Layout(observations, dimension, contentLength: null);

    /// <summary>
    /// The content stage's view of user pairs (SchemeLearner.FitUser): for a pair with a content length, its first
    /// <paramref name="contentLength"/> features Δx alone (the collaborative block and the offset Δb zeroed); any other
    /// observation (a stated-preference pseudo-pair) as it is.
    /// </summary>
    public static ObservationMatrix ContentStage(IReadOnlyList<LogisticObservation> observations, int dimension, int contentLength) =>
        Layout(observations, dimension, contentLength);

    private static ObservationMatrix Layout(IReadOnlyList<LogisticObservation> observations, int dimension, int? contentLength)
    {
        int n = observations.Count;
        var rows = new double[n * dimension];
        var offsets = new double[n];
        var weights = new double[n];
        for (int k = 0; k < n; k++)
        {
            var o = observations[k];
            if (o.Features.Length != dimension)
            {
                throw new ArgumentException($"Observation {k} has {o.Features.Length} features; the prior has {dimension}.", nameof(observations));
            }

            if (contentLength is int content && o.ContentLength is not null)
            {
                o.Features.AsSpan(0, Math.Min(content, dimension)).CopyTo(rows.AsSpan(k * dimension));
            }
            else
            {
                o.Features.CopyTo(rows, k * dimension);
                offsets[k] = o.Offset;
            }

            weights[k] = o.Weight;
        }

        return new ObservationMatrix(n, dimension, rows, offsets, weights);
    }

    /// <summary>Feature i over all observations (length n).</summary>
    public ReadOnlySpan<double> Column(int i)
    {
        EnsureColumns();
        return _columns.AsSpan(i * Count, Count);
    }

    /// <summary>Whether feature i is zero in every observation (its Hessian row is the prior's alone).</summary>
    public bool IsZeroColumn(int i)
    {
        EnsureColumns();
        return _zeroColumn![i];
    }

    /// <summary>
    /// The n×n Gram matrix Gₖₗ = Σᵢ zₖᵢ zₗᵢ / baseᵢ (column-major, lower triangle filled), so that Z Λ⁻¹ Zᵀ = G / scale for
    /// Λ = scale·diag(base): the same for every prior scale of a grid search.
    /// </summary>
    public double[] Gram(double[] basePrecision)
    {
        if (_gram is not null && ReferenceEquals(_gramPrecision, basePrecision))
        {
            return _gram;
        }

        int n = Count, d = Dimension;
        var inverse = new double[d];
        for (int i = 0; i < d; i++)
        {
            inverse[i] = 1 / basePrecision[i];
        }

        var scaled = new double[d];
        var gram = new double[n * n];
        for (int l = 0; l < n; l++)
        {
            TensorPrimitives.Multiply(Row(l), inverse, scaled);
            for (int k = l; k < n; k++)
            {
                gram[(l * n) + k] = TensorPrimitives.Dot(Row(k), scaled);
            }
        }

        _gram = gram;
        _gramPrecision = basePrecision;
        return gram;
    }

    /// <summary>
    /// Drops the column layout and the Gram matrix (recomputed if asked again): a posterior that computes its factor
    /// when read keeps these observations, and should keep no more of them than the rows.
    /// </summary>
    public void ReleaseCaches()
    {
        _columns = null;
        _zeroColumn = null;
        _gram = null;
        _gramPrecision = null;
    }

    private void EnsureColumns()
    {
        if (_columns is not null)
        {
            return;
        }

        int n = Count, d = Dimension;
        var columns = new double[d * n];
        var zero = new bool[d];
        for (int i = 0; i < d; i++)
        {
            bool allZero = true;
            for (int k = 0; k < n; k++)
            {
                double v = Rows[(k * d) + i];
                columns[(i * n) + k] = v;
                allZero &= v == 0;
            }

            zero[i] = allZero;
        }

        _zeroColumn = zero;
        _columns = columns;
    }
}

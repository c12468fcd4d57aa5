namespace PGenRM.Core.Model;

/// <summary>A Gaussian prior with a diagonal precision: mean μ and per-dimension base precision.</summary>
/// <param name="Mean">Prior mean (copied by callers that mutate it).</param>
/// <param name="Precision">Per-dimension precision before the prior-strength scale is applied.</param>
public sealed record DiagonalGaussian(double[] Mean, double[] Precision)
{
    /// <summary>Number of parameters.</summary>
    public int Dimension => Mean.Length;

    /// <summary>A zero-mean prior with the given per-dimension precision.</summary>
    public static DiagonalGaussian Zero(double[] precision) => new(new double[precision.Length], precision);
}

using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;
using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model.Reference;

/// <summary>The old FoldedEvidence (dense column-major precision, Fold solved by a dense LU), frozen as the oracle.</summary>
internal sealed class ReferenceFolded
{
    public ReferenceFolded(int dimension)
    {
        Mean = new double[dimension];
        Precision = new double[dimension * dimension];
    }

    public ReferenceFolded(double[] mean, double[] precision, int count)
    {
        Mean = mean;
        Precision = precision;
        Count = count;
    }

    public double[] Mean { get; }

    public double[] Precision { get; }

    public int Count { get; private set; }

    public void Fold(LogisticObservation observation, double[] at)
    {
        int d = Mean.Length;
        var z = observation.Features;
        double p = BayesianLogistic.Sigmoid(TensorPrimitives.Dot(at.AsSpan(), z.AsSpan()) + observation.Offset);
        double s = observation.Weight * p * (1 - p);
        double g = observation.Weight * (1 - p);
        if (s < 1e-12)
        {
            Count++;
            return;
        }

        double target = TensorPrimitives.Dot(at.AsSpan(), z.AsSpan()) + g / s;
        var pm = new double[d];
        for (int j = 0; j < d; j++)
        {
            double mj = Mean[j];
            if (mj == 0)
            {
                continue;
            }

            for (int i = 0; i < d; i++)
            {
                pm[i] += Precision[j * d + i] * mj;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double szj = s * z[j];
            for (int i = 0; i < d; i++)
            {
                Precision[j * d + i] += szj * z[i];
            }

            pm[j] += s * target * z[j];
        }

        var reg = (double[])Precision.Clone();
        for (int i = 0; i < d; i++)
        {
            reg[i * d + i] += 1e-9;
        }

        var solved = DenseMatrix.OfColumnMajor(d, d, reg).Solve(DenseVector.OfArray(pm)).AsArray();
        Array.Copy(solved, Mean, d);
        Count++;
    }

    public double Quadratic(double[] theta)
    {
        int d = Mean.Length;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double dj = theta[j] - Mean[j];
            if (dj == 0)
            {
                continue;
            }

            double acc = 0;
            for (int i = 0; i < d; i++)
            {
                acc += Precision[j * d + i] * (theta[i] - Mean[i]);
            }

            total += dj * acc;
        }

        return total;
    }

    public void AddTo(double[] theta, double[] grad, double[] hess)
    {
        int d = Mean.Length;
        for (int j = 0; j < d; j++)
        {
            double dj = theta[j] - Mean[j];
            for (int i = 0; i < d; i++)
            {
                double pji = Precision[j * d + i];
                hess[j * d + i] += pji;
                grad[i] -= pji * dj;
            }
        }
    }
}

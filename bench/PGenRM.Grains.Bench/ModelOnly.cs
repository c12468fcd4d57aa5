using System.Diagnostics;
using PGenRM.Core.Model;

namespace PGenRM.Grains.Bench;

/// <summary>Times <see cref="UserModel.Add"/> on synthetic pairs: the CPU cost of one feedback item without I/O.</summary>
internal static class ModelOnly
{
    /// <summary>Adds per second over <paramref name="count"/> pairs after the history is filled (fixed seed).</summary>
    public static double AddsPerSecond(int dimension, int count)
    {
        var options = new HybridModelOptions();
        int content = dimension - options.FactorDimension;
        var prior = new DiagonalGaussian(new double[dimension], [.. Enumerable.Repeat(1.0, dimension)]);
        var model = new UserModel(prior, options);
        var random = new Random(1);
        var truth = Vector(random, content);
        for (int i = 0; i < options.HistoryCapacity; i++)
        {
            model.Add(Pair(random, truth, options.FactorDimension));
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            model.Add(Pair(random, truth, options.FactorDimension));
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static PairEvidence Pair(Random random, double[] truth, int factors)
    {
        var diff = Vector(random, truth.Length);
        if (diff.Zip(truth, (a, b) => a * b).Sum() < 0)
        {
            diff = [.. diff.Select(x => -x)];
        }

        return new PairEvidence("a", "b", diff, new ItemView(0, Vector(random, factors)), new ItemView(0, Vector(random, factors)), new float[384]);
    }

    private static double[] Vector(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5)];
}

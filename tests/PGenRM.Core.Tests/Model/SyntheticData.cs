using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

/// <summary>Seeded synthetic users and items with known schemes, for learner tests.</summary>
internal static class SyntheticData
{
    public static double Gaussian(Random random) => StandardNormal.Next(random);

    public static double[] GaussianVector(Random random, int d, double scale = 1)
    {
        var v = new double[d];
        for (int i = 0; i < d; i++)
        {
            v[i] = scale * Gaussian(random);
        }

        return v;
    }

    public static double Dot(double[] a, double[] b)
    {
        double total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    public static double Cosine(double[] a, double[] b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));

    /// <summary>Pairs of feature differences labelled by sampling from the true Bradley–Terry scheme.</summary>
    public static List<(double[] Diff, bool FirstWins)> SamplePairs(Random random, double[] truth, double[][] items, int count)
    {
        var pairs = new List<(double[], bool)>(count);
        for (int k = 0; k < count; k++)
        {
            int a = random.Next(items.Length);
            int b = random.Next(items.Length - 1);
            if (b >= a)
            {
                b++;
            }

            var diff = new double[truth.Length];
            for (int i = 0; i < diff.Length; i++)
            {
                diff[i] = items[a][i] - items[b][i];
            }

            bool firstWins = random.NextDouble() < BayesianLogistic.Sigmoid(Dot(truth, diff));
            pairs.Add((diff, firstWins));
        }

        return pairs;
    }

    /// <summary>Turns labelled pairs into "chosen minus rejected" observations.</summary>
    public static List<LogisticObservation> ToObservations(IEnumerable<(double[] Diff, bool FirstWins)> pairs) =>
        pairs.Select(p => new LogisticObservation(p.FirstWins ? p.Diff : p.Diff.Select(x => -x).ToArray())).ToList();

    /// <summary>Share of pairs whose sampled label the scheme predicts (ties count half).</summary>
    public static double Accuracy(double[] scheme, IEnumerable<(double[] Diff, bool FirstWins)> pairs)
    {
        double correct = 0;
        int total = 0;
        foreach (var (diff, firstWins) in pairs)
        {
            double margin = Dot(scheme, diff);
            correct += margin == 0 ? 0.5 : (margin > 0) == firstWins ? 1 : 0;
            total++;
        }

        return correct / total;
    }
}

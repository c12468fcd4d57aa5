using PGenRM.Evaluation.Metrics;

namespace PGenRM.Evaluation.Tests.Metrics;

public sealed class CalibrationSummaryTests
{
    [Fact]
    public void PerfectlyCalibratedSeventyPercent_HasZeroEce_AndTheBinaryEntropyAsLogLoss()
    {
        var table = new Dictionary<string, Dictionary<string, UserTally>>(StringComparer.Ordinal);
        double margin = Math.Log(0.7 / 0.3);
        for (int i = 0; i < 10; i++)
        {
            // 7 of 10 pairs the chosen answer gets p = 0.7, 3 of 10 it gets p = 0.3: the confident side is right 70 % of the time.
            SplitResult.Add(table, "m", i < 5 ? "a" : "b", i % 10 < 7 ? margin : -margin);
        }

        var summary = CalibrationSummary.From(table["m"].Values);

        Assert.Equal(10, summary.Pairs);
        Assert.Equal(0, summary.Ece, 12);
        Assert.Equal(-((0.7 * Math.Log(0.7)) + (0.3 * Math.Log(0.3))), summary.LogLoss, 12);
    }

    [Fact]
    public void Overconfidence_ShowsAsEce_AndTiesAreHalfRightAtConfidenceOneHalf()
    {
        var tally = new UserTally();
        tally.Add(PairOutcome.Correct, 0.95);
        tally.Add(PairOutcome.Wrong, 0.05);
        tally.Add(PairOutcome.Tie, 0.5);
        tally.Add(PairOutcome.Correct); // no probability: counted for accuracy only

        var summary = CalibrationSummary.From([tally]);

        Assert.Equal(3, summary.Pairs);
        Assert.Equal(4, tally.Total);
        // Bin [0.95, 1]: 2 pairs, confidence 0.95, 1 right → |0.5 − 0.95| · 2/3; bin [0.5, 0.55]: confidence 0.5, half right → 0.
        Assert.Equal(0.45 * 2 / 3, summary.Ece, 12);
        Assert.Equal((-Math.Log(0.95) - Math.Log(0.05) - Math.Log(0.5)) / 3, summary.LogLoss, 12);
    }

    [Fact]
    public void NoProbabilities_GiveNaN()
    {
        var tally = new UserTally();
        tally.Add(PairOutcome.Correct);

        var summary = CalibrationSummary.From([tally]);

        Assert.True(double.IsNaN(summary.LogLoss));
        Assert.True(double.IsNaN(summary.Ece));
    }
}

namespace PGenRM.Encoding.Onnx.Tests;

public sealed class BatchPlannerTests
{
    [Fact]
    public void Plan_SortsByLength_AndCapsCount()
    {
        int[] lengths = [50, 10, 30, 20, 40, 60, 70];

        var batches = BatchPlanner.Plan(lengths, maxCount: 3, maxPaddedTokens: 10_000);

        var asLengths = batches.Select(b => b.Select(i => lengths[i]).ToArray()).ToArray();
        Assert.Equal([[10, 20, 30], [40, 50, 60], [70]], asLengths);
    }

    [Fact]
    public void Plan_CapsPaddedTokens_AndCoversEveryItemOnce()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 300).Select(_ => random.Next(3, 257)).ToArray();

        var batches = BatchPlanner.Plan(lengths, maxCount: 32, maxPaddedTokens: 1024);

        Assert.All(batches, b =>
        {
            Assert.InRange(b.Length, 1, 32);
            Assert.True(b.Length * b.Max(i => lengths[i]) <= 1024, "batch exceeds the padded-token cap");
        });
        Assert.Equal(Enumerable.Range(0, 300), batches.SelectMany(b => b).Order());
        // Batches come out shortest first, so consecutive batches never overlap in length.
        for (var k = 1; k < batches.Count; k++)
        {
            Assert.True(batches[k - 1].Max(i => lengths[i]) <= batches[k].Min(i => lengths[i]));
        }
    }

    [Fact]
    public void Plan_ItemAboveTokenCap_GetsItsOwnBatch()
    {
        int[] lengths = [5, 500, 5];

        var batches = BatchPlanner.Plan(lengths, maxCount: 8, maxPaddedTokens: 100);

        Assert.Equal([[0, 2], [1]], batches);
    }

    [Fact]
    public void Plan_CapsPaddingShare_SplittingVeryDifferentLengths()
    {
        int[] lengths = [118, 35, 60, 48, 105, 72, 95, 85];

        var capped = BatchPlanner.Plan(lengths, maxCount: 32, maxPaddedTokens: 10_000, maxPaddingShare: 0.25);
        var uncapped = BatchPlanner.Plan(lengths, maxCount: 32, maxPaddedTokens: 10_000, maxPaddingShare: 1.0);

        Assert.Single(uncapped);
        Assert.True(capped.Count > 1);
        Assert.All(capped, b =>
        {
            var padded = b.Length * b.Max(i => lengths[i]);
            var real = b.Sum(i => lengths[i]);
            Assert.True(padded - real <= 0.25 * padded, $"padding share {(padded - real) / (double)padded:F2} > 0.25");
        });
        Assert.Equal(Enumerable.Range(0, 8), capped.SelectMany(b => b).Order());
        // Equal lengths never pad, so the share never splits them.
        Assert.Single(BatchPlanner.Plan([40, 40, 40, 40], maxCount: 32, maxPaddedTokens: 10_000, maxPaddingShare: 0));
    }

    [Fact]
    public void Plan_Empty_ReturnsNoBatches() =>
        Assert.Empty(BatchPlanner.Plan([], maxCount: 8, maxPaddedTokens: 100));
}

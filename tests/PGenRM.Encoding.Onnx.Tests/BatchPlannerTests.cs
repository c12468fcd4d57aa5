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
    public void Plan_Empty_ReturnsNoBatches() =>
        Assert.Empty(BatchPlanner.Plan([], maxCount: 8, maxPaddedTokens: 100));
}

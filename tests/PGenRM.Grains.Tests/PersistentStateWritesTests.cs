using Orleans.Storage;
using PGenRM.Grains.Storage;

namespace PGenRM.Grains.Tests;

/// <summary>The ETag-conflict helper on a fake store another writer changes behind the activation's back.</summary>
public sealed class PersistentStateWritesTests
{
    [Fact]
    public async Task WriteStateWithRetry_ReappliesTheOperationToTheFreshStateAfterAConflict()
    {
        var (state, _) = await StartAsync(["a"]);
        state.WriteBehindTheBack(["a", "foreign"]); // someone else stored an operation since this activation read
        var reloads = new List<List<string>>();

        state.State.Add("mine");
        var result = await state.WriteStateWithRetryAsync(s => Reapply(s, "mine"), reloads.Add, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new StateWriteResult(true, 2), result);
        Assert.Equal(["a", "foreign"], Assert.Single(reloads)[..2]);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["a", "foreign", "mine"], state.State); // nothing overwritten, nothing applied twice
    }

    [Fact]
    public async Task WriteStateWithRetry_WritesNothingWhenTheFreshStateAlreadyHasTheOperation()
    {
        var (state, _) = await StartAsync(["a"]);
        state.WriteBehindTheBack(["a", "mine"]); // another activation applied the same operation id
        state.State.Add("mine");

        var result = await state.WriteStateWithRetryAsync(s => Reapply(s, "mine"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new StateWriteResult(false, 1), result);
        Assert.Equal(2, state.Writes); // the initial store and the one conflicting write
        Assert.Equal(["a", "mine"], state.State);
    }

    [Fact]
    public async Task WriteStateWithRetry_GivesUpAfterMaxAttempts()
    {
        var (state, _) = await StartAsync(["a"]);
        int writesBefore = state.Writes;
        state.WriteBehindTheBack(["a", "foreign"]);
        state.State.Add("mine");

        // A writer that always gets there first.
        var e = await Assert.ThrowsAsync<InconsistentStateException>(() => state.WriteStateWithRetryAsync(
            s =>
            {
                state.WriteBehindTheBack([.. s, "foreign"]);
                return Reapply(s, "mine");
            },
            maxAttempts: 3,
            cancellationToken: TestContext.Current.CancellationToken));

        Assert.NotNull(e);
        Assert.Equal(3, state.Writes - writesBefore);
    }

    private static bool Reapply(List<string> s, string id)
    {
        if (s.Contains(id))
        {
            return false;
        }

        s.Add(id);
        return true;
    }

    private static async Task<(FakePersistentState<List<string>> State, int Writes)> StartAsync(List<string> initial)
    {
        var state = new FakePersistentState<List<string>>(l => [.. l]);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        state.State = initial;
        await state.WriteStateAsync(TestContext.Current.CancellationToken);
        return (state, state.Writes);
    }
}

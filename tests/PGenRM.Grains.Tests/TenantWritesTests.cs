using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The tenant grain's writes on a fake store that another writer changes behind the activation's back.</summary>
public sealed class TenantWritesTests
{
    private static readonly string s_hash = new('a', 64);

    [Fact]
    public async Task Create_WhenSomeoneElseCreatedTheTenantMeanwhile_IsAConflictAndKeepsTheirs()
    {
        var state = await StateCopies.StoredAsync(new TenantState());
        var theirs = new TenantState { Created = true, Settings = new TenantSettings(Prototypes: 3), ApiKeyHashes = [new string('b', 64)] };
        state.WriteBehindTheBack(theirs);

        var e = await Assert.ThrowsAsync<TenantExistsException>(() =>
            TenantWrites.CreateAsync(state, "t", new TenantSettings(Prototypes: 5), s_hash, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));

        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, state.State.Settings.Prototypes);
        Assert.Equal([new string('b', 64)], state.State.ApiKeyHashes);
    }

    [Fact]
    public async Task Create_StoresTheTenant_AndASecondCreateIsAConflict()
    {
        var state = await StateCopies.StoredAsync(new TenantState());

        await TenantWrites.CreateAsync(state, "t", new TenantSettings(Prototypes: 5), s_hash, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<TenantExistsException>(() =>
            TenantWrites.CreateAsync(state, "t", new TenantSettings(), s_hash, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));

        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.True(state.State.Created);
        Assert.Equal(5, state.State.Settings.Prototypes);
    }

    [Fact]
    public async Task UpdateSettings_AfterAPassStoredADirectory_KeepsTheDirectory()
    {
        var state = await StateCopies.StoredAsync(new TenantState { Created = true, ApiKeyHashes = [s_hash] });
        var passed = StateCopies.Copy(state.State);
        passed.CentroidVersion = 1;
        passed.Centroids = [[1f, 2f]];
        passed.Counts = [4];
        state.WriteBehindTheBack(passed); // another activation's re-clustering pass

        await TenantWrites.UpdateSettingsAsync(state, "t", new TenantSettings(Prototypes: 2), TestContext.Current.CancellationToken);

        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, state.State.Settings.Prototypes);
        Assert.Equal(1, state.State.CentroidVersion);
        Assert.Equal([1f, 2f], Assert.Single(state.State.Centroids));
    }

    [Fact]
    public async Task StoreDirectory_AfterASettingsChange_StoresBoth_ButNeverOverASameOrNewerVersion()
    {
        var state = await StateCopies.StoredAsync(new TenantState { Created = true, ApiKeyHashes = [s_hash], PrototypeSlots = 3 });
        var updated = StateCopies.Copy(state.State);
        updated.Settings = new TenantSettings(Prototypes: 2);
        state.WriteBehindTheBack(updated);

        Assert.True(await TenantWrites.StoreDirectoryAsync(state, new PrototypeDirectory(1, [[1f], [2f]], [3, 4]), 2, DateTimeOffset.UnixEpoch, 0, TestContext.Current.CancellationToken));

        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, state.State.Settings.Prototypes); // the other writer's settings survive
        Assert.Equal(1, state.State.CentroidVersion);
        Assert.Equal([3L, 4L], state.State.Counts);
        Assert.Equal(3, state.State.PrototypeSlots); // never fewer slots than stored

        // A second activation's pass from the same starting version stored version 2 first: ours is dropped.
        var theirs = StateCopies.Copy(state.State);
        theirs.CentroidVersion = 2;
        theirs.Centroids = [[9f]];
        theirs.Counts = [7];
        state.WriteBehindTheBack(theirs);
        int writes = state.Writes;

        Assert.False(await TenantWrites.StoreDirectoryAsync(state, new PrototypeDirectory(2, [[5f]], [1]), 1, DateTimeOffset.UnixEpoch, 0, TestContext.Current.CancellationToken));

        Assert.Equal(writes + 1, state.Writes); // the conflicting write only
        Assert.Equal([9f], Assert.Single(state.State.Centroids));
        Assert.Equal(2, state.State.CentroidVersion);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace PGenRM.Grains.Tests;

/// <summary>Deep copies of grain states for <see cref="FakePersistentState{T}"/> (what a store round trip gives).</summary>
internal static class StateCopies
{
    private static readonly DeepCopier s_copier = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>();

    /// <summary>A fake state that holds <paramref name="initial"/> as stored and read.</summary>
    public static async Task<FakePersistentState<T>> StoredAsync<T>(T initial)
    {
        var state = new FakePersistentState<T>(v => s_copier.Copy(v)!);
        state.WriteBehindTheBack(initial);
        await state.ReadStateAsync(TestContext.Current.CancellationToken);
        return state;
    }

    /// <summary>A copy of <paramref name="value"/>.</summary>
    public static T Copy<T>(T value) => s_copier.Copy(value)!;
}

using System.Reflection;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>
/// The silo's population cache on a grain factory whose prototype answers only when the test lets it: concurrent misses
/// share one read of the summaries, with or without a member, and an answer without a member is not kept.
/// </summary>
public sealed class PopulationCacheTests
{
    private static readonly PrototypeDirectory Fresh = new(0, [new float[2]], [0]);

    [Fact]
    public async Task ConcurrentMisses_OfAFreshTenant_ShareOneSummaryRead_AndNoMemberIsNotCached()
    {
        var prototype = new GatedPrototype(members: 0);
        using var cache = new PopulationCache(GrainFactoryOf(prototype));

        // Eight new users of one tenant activate while the summary read is in flight: one call, eight answers.
        var reads = Enumerable.Range(0, 8).Select(_ => cache.GetAsync("t", Fresh, TestContext.Current.CancellationToken)).ToList();
        Assert.Equal(1, prototype.Calls);
        prototype.Open();
        Assert.All(await Task.WhenAll(reads), a => Assert.Null(a));

        // No member yet: the next miss reads again (the tenant's first member reaches the next new user at once).
        Assert.Null(await cache.GetAsync("t", Fresh, TestContext.Current.CancellationToken));
        Assert.Equal(2, prototype.Calls);
    }

    [Fact]
    public async Task ConcurrentMisses_WithAMember_ShareOneRead_ThenTheSchemeIsServedFromTheCache()
    {
        var prototype = new GatedPrototype(members: 3);
        using var cache = new PopulationCache(GrainFactoryOf(prototype));

        var reads = Enumerable.Range(0, 5).Select(_ => cache.GetAsync("t", Fresh, TestContext.Current.CancellationToken)).ToList();
        prototype.Open();
        var answers = await Task.WhenAll(reads);

        Assert.All(answers, a => Assert.Equal([0.5f, -0.25f], a!));
        var cached = await cache.GetAsync("t", Fresh, TestContext.Current.CancellationToken);
        Assert.Equal([0.5f, -0.25f], cached!);
        Assert.Equal(1, prototype.Calls);
    }

    [Fact]
    public async Task ACancelledWait_EndsOnlyThatCaller_TheSharedReadStillAnswersTheOthers()
    {
        var prototype = new GatedPrototype(members: 3);
        using var cache = new PopulationCache(GrainFactoryOf(prototype));
        using var cancel = new CancellationTokenSource();

        var cancelled = cache.GetAsync("t", Fresh, cancel.Token);
        var other = cache.GetAsync("t", Fresh, TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        prototype.Open();

        var answer = await other;
        Assert.Equal([0.5f, -0.25f], answer!);
        Assert.Equal(1, prototype.Calls);
    }

    private static IGrainFactory GrainFactoryOf(IPrototypeGrain prototype)
    {
        var factory = DispatchProxy.Create<IGrainFactory, PrototypeFactory>();
        ((PrototypeFactory)(object)factory).Prototype = prototype;
        return factory;
    }

    // An IGrainFactory that hands out one prototype grain and supports nothing else (not sealed: DispatchProxy derives it).
    private class PrototypeFactory : DispatchProxy
    {
        public IPrototypeGrain? Prototype { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) && targetMethod.ReturnType == typeof(IPrototypeGrain)
                ? Prototype
                : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class GatedPrototype(long members) : IPrototypeGrain
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Open() => _gate.TrySetResult();

        public async Task<PrototypeSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await _gate.Task;
            return new PrototypeSummary(0, members, [0.5f, -0.25f], 0, 1, 1);
        }

        public Task<bool> ApplyAsync(MembershipReport report, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<PrototypeReservoir> GetReservoirAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ResetAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

using PGenRM.Core.Criteria;
using PGenRM.Core.Scenarios;

namespace PGenRM.Core.Tests.TestDoubles;

/// <summary>The default bank and scenario set over the hashing test double, built once per test run.</summary>
internal static class TestBanks
{
    public static HashingSentenceEncoder Encoder { get; } = new();

    private static readonly Lazy<Task<CriteriaBank>> LazyBank = new(() => CriteriaBank.CreateAsync(Encoder));

    private static readonly Lazy<Task<ScenarioSet>> LazyScenarios = new(() => ScenarioSet.CreateAsync(Encoder));

    public static Task<CriteriaBank> BankAsync() => LazyBank.Value;

    public static Task<ScenarioSet> ScenariosAsync() => LazyScenarios.Value;
}

using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains.Tests;

/// <summary>The evaluator settings (ids 30–37): validation and the defaults for settings stored before they existed.</summary>
public sealed class TenantSettingsEvaluatorTests
{
    [Fact]
    public void Validate_AcceptsTheDefaultsAndAConfiguredLlmTenant()
    {
        new TenantSettings().Validate();
        new TenantSettings(Evaluator: "llm", LlmEndpoint: "vllm", LlmModel: "pgenrm-8b").Validate();
    }

    [Theory]
    [InlineData("gpt", "vllm", "m", "Evaluator")]
    [InlineData("llm", null, "m", "LlmEndpoint")]
    [InlineData("llm", "vllm", null, "LlmEndpoint")]
    [InlineData("llm", "bad name", "m", "LlmEndpoint")]
    public void Validate_NamesTheBadEvaluatorSetting(string evaluator, string? endpoint, string? model, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new TenantSettings(Evaluator: evaluator, LlmEndpoint: endpoint, LlmModel: model).Validate());
        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void Validate_RejectsOutOfRangeLimits()
    {
        Assert.Equal("LlmMaxM", Assert.Throws<ArgumentException>(() => new TenantSettings(LlmMaxM: 0).Validate()).ParamName);
        Assert.Equal("LlmMaxN", Assert.Throws<ArgumentException>(() => new TenantSettings(LlmMaxN: 65).Validate()).ParamName);
        Assert.Equal("LlmMaxConcurrency", Assert.Throws<ArgumentException>(() => new TenantSettings(LlmMaxConcurrency: 0).Validate()).ParamName);
        Assert.Equal("LlmMaxOutputTokens", Assert.Throws<ArgumentException>(() => new TenantSettings(LlmMaxOutputTokens: 8).Validate()).ParamName);
    }

    [Fact]
    public void WithEvaluatorDefaults_FillsAGroupStoredBeforeItExisted_AndKeepsAWrittenOne()
    {
        var old = new TenantSettings(M: 4) with { Evaluator = null!, LlmMaxM = 0, LlmMaxN = 0, LlmMaxConcurrency = 0, LlmMaxOutputTokens = 0 };
        var filled = old.WithEvaluatorDefaults();
        Assert.Equal(new TenantSettings(M: 4), filled);
        filled.Validate();

        var written = new TenantSettings(Evaluator: "llm", LlmEndpoint: "e", LlmModel: "m", LlmMaxN: 0);
        Assert.Same(written, written.WithEvaluatorDefaults());
    }
}

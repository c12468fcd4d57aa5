using Microsoft.ML.OnnxRuntimeGenAI;

namespace PGenRM.Evaluators.Llm.Tests;

/// <summary>
/// The judge on the silo's own device (ONNX Runtime GenAI's chat client). No judge weights exist here, so what is tested
/// is the wiring: options refused with the field named, the native GenAI library loaded and asked to open the folder,
/// and its refusal turned into the judge's own error (what a tenant sees as 503 or a flagged fallback), every time.
/// </summary>
public sealed class LocalJudgeModelTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pgenrm-genai-");

    [Fact]
    public void Options_AFolderWithoutGenAiConfig_IsRefusedNamingModelPath()
    {
        var options = new LlmEndpointOptions { Name = "local", ModelPath = _folder.FullName };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(LlmEndpointOptions.ModelPath), e.ParamName);
        Assert.Contains(_folder.FullName, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpu", true)]
    [InlineData("cuda", false)]
    public void Options_AnUnknownProviderOrAProviderWithoutModel_IsRefusedNamingExecutionProvider(string provider, bool withModel)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "genai_config.json"), "{}");
        var options = new LlmEndpointOptions { Name = "local", ModelPath = withModel ? _folder.FullName : null, ExecutionProvider = provider };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(LlmEndpointOptions.ExecutionProvider), e.ParamName);
    }

    [Fact]
    public async Task Judge_OverAModelFolderGenAiCannotOpen_FailsWithTheJudgeErrorFromTheNativeLibrary_OnEveryCall()
    {
        // A config naming no model: the native library parses it and refuses (no weights are needed to get this far).
        File.WriteAllText(Path.Combine(_folder.FullName, "genai_config.json"), """{"model": {"type": "no-such-architecture"}}""");
        using var endpoint = new LlmEndpoint(new LlmEndpointOptions { Name = "local", ModelPath = _folder.FullName, ExecutionProvider = "cpu" });
        using var metrics = new LlmMetrics();
        var judge = new LlmJudge(endpoint, new LlmJudgeOptions { Model = "local-judge", MaxConcurrency = 2 }, metrics);

        Assert.NotNull(endpoint.Local);
        Assert.Null(endpoint.OpenAi);
        for (int call = 0; call < 2; call++)
        {
            var e = await Assert.ThrowsAsync<LlmJudgeException>(() => judge.JudgeAsync(JudgeHarness.Request(m: 2), TestContext.Current.CancellationToken));
            Assert.Contains(_folder.FullName, e.Message, StringComparison.Ordinal);
            Assert.IsType<OnnxRuntimeGenAIException>(e.InnerException);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

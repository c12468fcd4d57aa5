using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using PGenRM.Core.Encoding;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 sentence encoder on ONNX Runtime: BERT uncased WordPiece tokenization (accents stripped), at most
/// <see cref="MaxTokens"/> tokens including [CLS]/[SEP], mean pooling, L2 normalisation, 384-d output. Concurrent callers
/// are micro-batched on one loop thread, and embeddings are cached in a bounded LRU. Create one per process (loading costs
/// about 1 s and 250–300 MB) and share it; all members are thread-safe.
/// </summary>
/// <remarks>
/// The empty string (and whitespace-only text) is encoded as the two-token sequence [CLS][SEP], a valid, deterministic
/// unit vector, rather than rejected: callers embed user-provided fields that are sometimes blank.
/// </remarks>
public sealed partial class OnnxSentenceEncoder : ISentenceEncoder, IDisposable
{
    private readonly BertTokenizer _tokenizer;
    private readonly BertEmbeddingRunner _runner;
    private readonly EmbeddingCache _cache;
    private readonly EncodingBatcher _batcher;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Loads the model, creates the ONNX session (CUDA first in the GPU build when enabled) and starts the batching loop.</summary>
    /// <param name="options">Settings; null uses the defaults.</param>
    /// <param name="logger">Logger; null logs nothing.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every invalid setting).</exception>
    /// <exception cref="FileNotFoundException">The model carrier DLL is missing (the message names the path).</exception>
    /// <exception cref="InvalidDataException">The carrier DLL does not hold the expected model.</exception>
    public OnnxSentenceEncoder(OnnxEncoderOptions? options = null, ILogger<OnnxSentenceEncoder>? logger = null)
    {
        options ??= new OnnxEncoderOptions();
        OnnxEncoderOptionsValidator.ThrowIfInvalid(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        MaxTokens = options.MaxTokens;

        var started = Stopwatch.GetTimestamp();
        var model = MiniLmModel.Load(options.ModelPath);
        ModelId = model.ModelId;
        using (var vocabulary = new MemoryStream(model.VocabularyBytes.ToArray(), writable: false))
        {
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
            {
                LowerCaseBeforeTokenization = true,
                ApplyBasicTokenization = true,
                // Default is false, which turns "Café" into [UNK]; the HF uncased tokenizer strips accents.
                RemoveNonSpacingMarks = true,
                IndividuallyTokenizeCjk = true,
            });
        }

        var (session, provider) = CreateSession(model, options);
        ExecutionProvider = provider;
        try
        {
            _runner = new BertEmbeddingRunner(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        Dimension = _runner.Dimension;
        _cache = new EmbeddingCache(ModelId, options.CacheCapacity);
        _batcher = new EncodingBatcher(
            Tokenize,
            _runner.Run,
            options.CacheCapacity > 0 ? _cache : null,
            options.MaxBatchCount,
            options.MaxPaddedTokensPerBatch,
            options.MaxPaddingShare,
            options.BatchingWindow,
            _logger);

        if (!CanStripAccents)
        {
            LogNoAccentStripping();
        }

        LogLoaded(ModelId, ExecutionProvider, Dimension, Stopwatch.GetElapsedTime(started).TotalMilliseconds, model.SourcePath);
    }

    /// <summary>
    /// Whether this process can strip accents as the HF uncased tokenizer does ("Café" → "cafe"). That needs Unicode
    /// normalization, which is a no-op under globalization invariant mode (<c>InvariantGlobalization=true</c>); accented
    /// words then become [UNK]. Hosts must run with ICU (<c>InvariantGlobalization=false</c>, libicu installed).
    /// </summary>
    public static bool CanStripAccents { get; } = "\u00e9".Normalize(NormalizationForm.FormD).Length == 2;

    /// <inheritdoc />
    /// <remarks>For example <c>all-MiniLM-L6-v2@24.9.52193</c>; the version is the model carrier package's.</remarks>
    public string ModelId { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Token limit per text including [CLS] and [SEP]; longer texts are truncated, not rejected.</summary>
    public int MaxTokens { get; }

    /// <summary>The execution provider the session runs on (CPU after a CUDA fallback).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; }

    /// <summary>Texts served from the embedding cache since start-up.</summary>
    public long CacheHits => _cache.Hits;

    /// <summary>Texts not found in the embedding cache (all texts when the cache is off) since start-up.</summary>
    public long CacheMisses => _cache.Misses;

    /// <summary>Embeddings currently held by the cache.</summary>
    public int CacheCount => _cache.Count;

    /// <summary>Embeddings the cache dropped to make room since start-up.</summary>
    public long CacheEvictions => _cache.Evictions;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public async ValueTask<float[]> EncodeAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();

        var key = _cache.KeyFor(text);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var results = await _batcher.SubmitAsync([text], [key], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public async ValueTask<float[][]> EncodeBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();

        var results = new float[texts.Count][];
        var missIndices = new List<int>();
        var missKeys = new List<EmbeddingCacheKey>();
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null.");
            var key = _cache.KeyFor(text);
            if (_cache.TryGet(key, out var cached))
            {
                results[i] = cached;
            }
            else
            {
                missIndices.Add(i);
                missKeys.Add(key);
            }
        }

        if (missIndices.Count > 0)
        {
            // One request for all misses, so the loop sorts and batches them together.
            var missTexts = missIndices.Select(i => texts[i]).ToArray();
            var computed = await _batcher.SubmitAsync(missTexts, [.. missKeys], cancellationToken).ConfigureAwait(false);
            for (var m = 0; m < missIndices.Count; m++)
            {
                results[missIndices[m]] = computed[m];
            }
        }

        return results;
    }

    /// <summary>Stops the batching loop after the batch in progress, fails queued requests and releases the ONNX session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _batcher.Dispose();
        _runner.Dispose();
        _cache.Dispose();
    }

    /// <summary>Token ids for <paramref name="text"/> as the model sees them (with [CLS]/[SEP], truncated). Loop thread only.</summary>
    internal int[] Tokenize(string text) =>
        [.. _tokenizer.EncodeToIds(text, MaxTokens, addSpecialTokens: true, out _, out _)];

    /// <summary>The batching loop's managed thread id (tests check inference runs there).</summary>
    internal int LoopThreadId => _batcher.LoopThreadId;

    private (InferenceSession Session, OnnxExecutionProvider Provider) CreateSession(MiniLmModel model, OnnxEncoderOptions options)
    {
        SessionOptions NewOptions()
        {
            var created = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
                EnableCpuMemArena = true,
            };
            if (!options.AllowThreadSpinning)
            {
                created.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            }

            return created;
        }

        var sessionOptions = NewOptions();
        try
        {
            if (options.UseCuda)
            {
#if ONNX_GPU
                var cudaAppended = false;
                try
                {
                    sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    cudaAppended = true;
                }
                catch (OnnxRuntimeException ex)
                {
                    // Typically "Failed to load shared library": no CUDA 13 runtime (libcudart/libcublasLt .so.13) or no
                    // driver. The same options still work for a CPU session.
                    LogCudaUnavailable(ex, options.CudaDeviceId, ex.Message);
                }

                if (cudaAppended)
                {
                    try
                    {
                        return (new InferenceSession(model.OnnxArray, sessionOptions), OnnxExecutionProvider.Cuda);
                    }
                    catch (OnnxRuntimeException ex)
                    {
                        // The provider loaded but the session did not (e.g. cuDNN or the device); start over on CPU.
                        LogCudaUnavailable(ex, options.CudaDeviceId, ex.Message);
                        sessionOptions.Dispose();
                        sessionOptions = NewOptions();
                    }
                }
#else
                LogCudaNotInBuild(options.CudaDeviceId);
#endif
            }

            return (new InferenceSession(model.OnnxArray, sessionOptions), OnnxExecutionProvider.Cpu);
        }
        finally
        {
            // The native session copies what it needs from the options.
            sessionOptions.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Sentence encoder {ModelId} loaded on {Provider}: {Dimension}-d, {ElapsedMs:F0} ms, from {ModelPath}")]
    private partial void LogLoaded(string modelId, OnnxExecutionProvider provider, int dimension, double elapsedMs, string modelPath);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "CUDA device {DeviceId} is unavailable, the sentence encoder falls back to CPU: {Reason}")]
    private partial void LogCudaUnavailable(Exception exception, int deviceId, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning,
        Message = "Unicode normalization is unavailable (globalization invariant mode), so accents are not stripped and accented words encode as [UNK]; run the host with InvariantGlobalization=false and libicu installed")]
    private partial void LogNoAccentStripping();

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "UseCuda is set (device {DeviceId}) but this build uses the CPU ONNX Runtime; build with -p:OnnxGpu=true for CUDA. Running on CPU")]
    private partial void LogCudaNotInBuild(int deviceId);
}

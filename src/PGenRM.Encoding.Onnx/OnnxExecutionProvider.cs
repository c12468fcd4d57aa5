namespace PGenRM.Encoding.Onnx;

/// <summary>The ONNX Runtime execution provider an <see cref="OnnxSentenceEncoder"/> session actually runs on.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>The default CPU provider.</summary>
    Cpu = 0,

    /// <summary>The CUDA provider (GPU build only; unsupported nodes may still run on CPU).</summary>
    Cuda = 1,
}

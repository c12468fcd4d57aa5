namespace PGenRM.Encoding.Onnx;

/// <summary>Which ONNX Runtime package this assembly was built against (chosen by the <c>OnnxGpu</c> build property).</summary>
public static class OnnxRuntimeFlavor
{
    /// <summary>True when built with <c>-p:OnnxGpu=true</c> (Microsoft.ML.OnnxRuntime.Gpu.Linux), false for the CPU package.</summary>
    public static bool IsGpuBuild =>
#if ONNX_GPU
        true;
#else
        false;
#endif
}

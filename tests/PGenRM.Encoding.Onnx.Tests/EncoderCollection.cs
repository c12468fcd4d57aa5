namespace PGenRM.Encoding.Onnx.Tests;

/// <summary>Tests that share the loaded encoders run in this collection, one at a time (the box has 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class EncoderCollection : ICollectionFixture<EncoderFixture>
{
    public const string Name = "Encoder";
}

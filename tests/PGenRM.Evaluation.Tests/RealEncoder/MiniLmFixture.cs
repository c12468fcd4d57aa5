using PGenRM.Core.Evaluator;
using PGenRM.Encoding.Onnx;

namespace PGenRM.Evaluation.Tests.RealEncoder;

/// <summary>One real MiniLM encoder and compact evaluator for the tests that need real embeddings.</summary>
public sealed class MiniLmFixture : IAsyncLifetime
{
    public OnnxSentenceEncoder Encoder { get; } = new();

    public CompactEvaluator Evaluator { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Evaluator = await CompactEvaluator.CreateAsync(Encoder);

    public ValueTask DisposeAsync()
    {
        Encoder.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = nameof(MiniLmCollection);
}

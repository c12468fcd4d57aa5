using PGenRM.Core.Criteria;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Criteria;

public sealed class CriteriaBankTests
{
    private const string OneLiner = "Use a hash map.";

    private const string BulletedLong = """
        ## Options
        - Use a hash map when you need fast lookups by key and do not care about ordering at all.
        - Use a sorted dictionary when you need the keys in order, at the cost of logarithmic lookups.
        - Use a plain list when the collection is tiny and simplicity matters more than speed.

        ## Recommendation
        1. Start with the hash map.
        2. Measure with realistic data before switching.
        3. Document the decision for the rest of the team.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void DefaultDefinition_HasAtLeast16WellFormedCriteria()
    {
        var definition = CriteriaBankDefinition.Default;

        Assert.Equal("criteria-v1", definition.Version);
        Assert.True(definition.Criteria.Count >= 16, $"only {definition.Criteria.Count} criteria");
        Assert.Equal(definition.Criteria.Count, definition.Criteria.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(definition.Criteria, c =>
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
            Assert.False(string.IsNullOrWhiteSpace(c.Description));
            Assert.EndsWith(".", c.Description, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(c.PositivePole));
            Assert.False(string.IsNullOrWhiteSpace(c.NegativePole));
            Assert.InRange(c.PositiveAnchors.Count, 2, 4);
            Assert.InRange(c.NegativeAnchors.Count, 2, 4);
        });
        Assert.InRange(definition.Calibration.Count, 60, 80);
        Assert.Equal(CriteriaBankDefinition.DefaultResidualRank, definition.ResidualRank);
    }

    [Fact]
    public async Task CreateAsync_ExposesShapeAndVersion()
    {
        var bank = await TestBanks.BankAsync();

        Assert.Equal("criteria-v1", bank.Version);
        Assert.Equal(CriteriaBankDefinition.Default.Criteria.Count, bank.Count);
        Assert.Equal(bank.Count, bank.Criteria.Count);
        Assert.Equal(384, bank.Dimension);
        Assert.Equal(TestBanks.Encoder.ModelId, bank.EncoderModelId);
        Assert.Equal(16, bank.ResidualRank);
        Assert.Equal(1, bank.IndexOf("formal"));
        Assert.Equal(-1, bank.IndexOf("no-such-criterion"));
        for (var c = 0; c < bank.Count; c++)
        {
            Assert.Equal(1.0, Math.Sqrt(bank.GetDirection(c).ToArray().Sum(x => (double)x * x)), 5);
        }
    }

    [Fact]
    public async Task Score_OnCalibrationCorpus_HasMeanZeroAndSdOnePerCriterion()
    {
        var bank = await TestBanks.BankAsync();
        var samples = CriteriaBankDefinition.Default.Calibration;
        var scores = samples
            .Select(s => bank.Score(TestBanks.Encoder.Encode(s.Query), TestBanks.Encoder.Encode(s.Response), s.Response))
            .ToArray();

        for (var c = 0; c < bank.Count; c++)
        {
            var column = scores.Select(s => (double)s[c]).ToArray();
            var mean = column.Average();
            var sd = Math.Sqrt(column.Sum(x => (x - mean) * (x - mean)) / column.Length);
            Assert.True(Math.Abs(mean) < 1e-4, $"{bank.Criteria[c].Id}: mean {mean}");
            Assert.True(Math.Abs(sd - 1) < 1e-4, $"{bank.Criteria[c].Id}: sd {sd}");
        }
    }

    [Fact]
    public async Task Score_BulletedLongResponse_IsMoreStructuredAndLessConciseThanOneLiner()
    {
        var bank = await TestBanks.BankAsync();
        var query = TestBanks.Encoder.Encode("Which data structure should I use for lookups?");

        var shortScores = bank.Score(query, TestBanks.Encoder.Encode(OneLiner), OneLiner);
        var longScores = bank.Score(query, TestBanks.Encoder.Encode(BulletedLong), BulletedLong);

        var structure = bank.IndexOf("structure");
        var concise = bank.IndexOf("concise");
        Assert.True(longScores[structure] > shortScores[structure] + 1, $"structure {longScores[structure]} vs {shortScores[structure]}");
        Assert.True(longScores[concise] < shortScores[concise] - 1, $"concise {longScores[concise]} vs {shortScores[concise]}");
    }

    [Fact]
    public async Task Score_CodeFence_RaisesExamplesAndCode()
    {
        var bank = await TestBanks.BankAsync();
        var query = TestBanks.Encoder.Encode("How do I print every item?");
        const string prose = "Loop over the items and print each one.";
        const string withCode = "Loop over the items and print each one.\n```python\nfor item in items:\n    print(item)\n```";

        var plain = bank.Score(query, TestBanks.Encoder.Encode(prose), prose);
        var coded = bank.Score(query, TestBanks.Encoder.Encode(withCode), withCode);

        var examples = bank.IndexOf("examples");
        Assert.True(coded[examples] > plain[examples] + 0.5, $"examples {coded[examples]} vs {plain[examples]}");
    }

    [Fact]
    public async Task Score_TextStatisticsMoveTheirCriteria()
    {
        var bank = await TestBanks.BankAsync();
        var query = TestBanks.Encoder.Encode("Will this fix my build?");
        float Get(string text, string id) => bank.Score(query, TestBanks.Encoder.Encode(text), text)[bank.IndexOf(id)];

        Assert.True(Get("It might possibly work, but it probably depends on your setup.", "hedging") > Get("It works with your setup.", "hedging"));
        Assert.True(Get("Yes!! This is amazing, it works!", "enthusiasm") > Get("Yes. This works.", "enthusiasm"));
        Assert.True(Get("Which compiler do you use? And which version?", "engagement") > Get("Use the latest compiler.", "engagement"));
        Assert.True(Get("In my experience I always clean the build first.", "personal") > Get("Cleaning the build first usually helps.", "personal"));
        Assert.True(Get("Version 8.0.4 fixed it on 12 March 2024 in build 1234.", "precision") > Get("A recent version fixed it.", "precision"));
    }

    [Fact]
    public async Task Score_SameEmbeddingDifferentText_MovesOnlyCriteriaWithATextStatistic()
    {
        // Holding the embedding fixed isolates the text-statistic half of the blend.
        var bank = await TestBanks.BankAsync();
        var q = TestBanks.Encoder.Encode("Which data structure should I use?");
        var r = TestBanks.Encoder.Encode("Some answer.");

        var asOneLiner = bank.Score(q, r, OneLiner);
        var asBulleted = bank.Score(q, r, BulletedLong);

        for (var c = 0; c < bank.Count; c++)
        {
            var kind = bank.Criteria[c].TextStatistic;
            if (kind is TextStatisticKind.None or TextStatisticKind.QueryRelevance)
            {
                Assert.Equal(asOneLiner[c], asBulleted[c]);
            }
        }

        // Brevity (blend weight 0.7): one line vs a long answer; structure (0.6): no list lines vs 6 list and 2 heading lines.
        Assert.True(asOneLiner[bank.IndexOf("concise")] - asBulleted[bank.IndexOf("concise")] > 1.5);
        Assert.True(asBulleted[bank.IndexOf("structure")] - asOneLiner[bank.IndexOf("structure")] > 1.5);
    }

    [Fact]
    public async Task ResidualBasis_IsOrderedByExplainedVariance()
    {
        // The basis is fitted on anchors + calibration queries + responses; rebuild that set with the same encoder.
        var bank = await TestBanks.BankAsync();
        var definition = CriteriaBankDefinition.Default;
        var texts = definition.Criteria.SelectMany(c => c.PositiveAnchors.Concat(c.NegativeAnchors))
            .Concat(definition.Calibration.SelectMany(s => new[] { s.Query, s.Response }));
        var projections = texts.Select(t =>
        {
            var p = new float[bank.ResidualRank];
            bank.ProjectResidual(TestBanks.Encoder.Encode(t), p);
            return p;
        }).ToArray();

        var variances = Enumerable.Range(0, bank.ResidualRank)
            .Select(k => projections.Average(p => (double)p[k] * p[k]))
            .ToArray();

        for (var k = 1; k < variances.Length; k++)
        {
            Assert.True(variances[k] <= variances[k - 1] + 1e-6, $"variance[{k}] = {variances[k]} > variance[{k - 1}] = {variances[k - 1]}");
        }

        // Projections of the fitted set are centred, because the basis is applied to e − mean.
        Assert.All(Enumerable.Range(0, bank.ResidualRank), k => Assert.True(Math.Abs(projections.Average(p => p[k])) < 1e-4));
    }

    [Fact]
    public async Task Score_Relevance_FollowsQueryResponseCosine()
    {
        var bank = await TestBanks.BankAsync();
        const string question = "How do I reverse a list in Python?";
        const string onTopic = "To reverse a list in Python, call list.reverse() or slice it with [::-1].";
        const string offTopic = "The weather in Lisbon is lovely in spring.";
        var query = TestBanks.Encoder.Encode(question);

        var relevance = bank.IndexOf("relevance");
        var on = bank.Score(query, TestBanks.Encoder.Encode(onTopic), onTopic)[relevance];
        var off = bank.Score(query, TestBanks.Encoder.Encode(offTopic), offTopic)[relevance];

        Assert.True(on > off + 1, $"relevance {on} vs {off}");
    }

    [Fact]
    public async Task Score_SpanOverload_MatchesArrayOverload()
    {
        var bank = await TestBanks.BankAsync();
        var q = TestBanks.Encoder.Encode("question");
        var r = TestBanks.Encoder.Encode(BulletedLong);
        var destination = new float[bank.Count];

        bank.Score(q, r, BulletedLong, destination);

        Assert.Equal(bank.Score(q, r, BulletedLong), destination);
    }

    [Fact]
    public async Task Score_RejectsWrongLengths()
    {
        var bank = await TestBanks.BankAsync();
        var good = TestBanks.Encoder.Encode("x");

        Assert.Throws<ArgumentException>(() => bank.Score(new float[10], good, "x"));
        Assert.Throws<ArgumentException>(() => bank.Score(good, new float[10], "x"));
        Assert.Throws<ArgumentException>(() => bank.Score(good, good, "x", new float[bank.Count - 1]));
    }

    [Fact]
    public async Task ResidualBasis_IsOrthonormal()
    {
        var bank = await TestBanks.BankAsync();
        var basis = bank.ResidualBasis;

        Assert.Equal(bank.ResidualRank, basis.Length);
        for (var i = 0; i < basis.Length; i++)
        {
            Assert.Equal(bank.Dimension, basis[i].Length);
            for (var j = 0; j < basis.Length; j++)
            {
                var dot = basis[i].Zip(basis[j], (a, b) => (double)a * b).Sum();
                Assert.True(Math.Abs(dot - (i == j ? 1.0 : 0.0)) < 1e-4, $"B·Bᵀ[{i},{j}] = {dot}");
            }
        }
    }

    [Fact]
    public async Task ResidualBasis_ReturnsACopy()
    {
        var bank = await TestBanks.BankAsync();
        var first = bank.ResidualBasis;
        var original = first[0][0];

        first[0][0] = 42f;

        Assert.Equal(original, bank.ResidualBasis[0][0]);
    }

    [Fact]
    public async Task ProjectResidual_IsTheBasisAppliedToTheDifferenceOfEmbeddings()
    {
        var bank = await TestBanks.BankAsync();
        var a = TestBanks.Encoder.Encode("A formal summary of the quarterly results.");
        var b = TestBanks.Encoder.Encode("lol that movie was so good!!");
        var pa = new float[bank.ResidualRank];
        var pb = new float[bank.ResidualRank];

        bank.ProjectResidual(a, pa);
        bank.ProjectResidual(b, pb);

        var basis = bank.ResidualBasis;
        for (var k = 0; k < bank.ResidualRank; k++)
        {
            var expected = basis[k].Select((x, j) => (double)x * (a[j] - b[j])).Sum();
            Assert.Equal(expected, pa[k] - pb[k], 4);
        }

        Assert.Throws<ArgumentException>(() => bank.ProjectResidual(a, new float[bank.ResidualRank + 1]));
    }

    [Fact]
    public async Task CreateAsync_IsDeterministic()
    {
        var first = await CriteriaBank.CreateAsync(new HashingSentenceEncoder(), cancellationToken: Ct);
        var second = await CriteriaBank.CreateAsync(new HashingSentenceEncoder(), cancellationToken: Ct);

        for (var c = 0; c < first.Count; c++)
        {
            Assert.Equal(first.GetDirection(c).ToArray(), second.GetDirection(c).ToArray());
        }

        Assert.Equal(first.ResidualBasis, second.ResidualBasis);
        var q = TestBanks.Encoder.Encode("What should I cook tonight?");
        var r = TestBanks.Encoder.Encode(BulletedLong);
        Assert.Equal(first.Score(q, r, BulletedLong), second.Score(q, r, BulletedLong));
    }

    [Fact]
    public async Task CreateAsync_EncodesEverythingInOneBatch()
    {
        var encoder = new HashingSentenceEncoder();

        await CriteriaBank.CreateAsync(encoder, cancellationToken: Ct);

        Assert.Equal(1, encoder.BatchCalls);
    }

    [Fact]
    public async Task CreateAsync_HonoursConfiguredResidualRank()
    {
        var definition = CriteriaBankDefinition.Default with { ResidualRank = 4 };

        var bank = await CriteriaBank.CreateAsync(TestBanks.Encoder, definition, Ct);

        Assert.Equal(4, bank.ResidualRank);
        Assert.Equal(4, bank.ResidualBasis.Length);
    }

    [Fact]
    public async Task CreateAsync_RejectsInvalidDefinitions()
    {
        var criteria = CriteriaBankDefinition.Default.Criteria;
        var duplicate = CriteriaBankDefinition.Default with { Criteria = [.. criteria, criteria[0]] };
        var badSlug = CriteriaBankDefinition.Default with { Criteria = [criteria[0] with { Id = "-concise" }] };
        var tooDeep = CriteriaBankDefinition.Default with { ResidualRank = 10_000 };

        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => CriteriaBank.CreateAsync(TestBanks.Encoder, duplicate, Ct));
        Assert.Contains("used twice", e1.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => CriteriaBank.CreateAsync(TestBanks.Encoder, badSlug, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => CriteriaBank.CreateAsync(TestBanks.Encoder, tooDeep, Ct));
    }

    [Theory]
    [InlineData(0.0, 5.5)]
    [InlineData(1.0, 7.0)]
    [InlineData(-1.0, 4.0)]
    [InlineData(3.0, 10.0)]
    [InlineData(-3.0, 1.0)]
    [InlineData(7.0, 10.0)]
    [InlineData(-7.0, 1.0)]
    [InlineData(0.1234, 5.7)]
    public void ToCriterionScale_MapsZToOneToTen(double z, double expected) =>
        Assert.Equal(expected, CriteriaBank.ToCriterionScale(z), 10);
}

using PGenRM.Core.Features;
using PGenRM.Core.Model;
using PGenRM.Core.Tests.Model;
using PGenRM.Core.Tests.TestDoubles;

namespace PGenRM.Core.Tests.Features;

public sealed class TenantProjectionTests
{
    private const int Dimension = 384;

    [Fact]
    public void Learn_RecoversTheWithinQueryDirectionWhitened()
    {
        // arrange: 60 queries; responses share a large query offset and differ along one planted direction a
        var random = new Random(2);
        var a = Unit(SyntheticData.GaussianVector(random, 20));
        var groups = new List<IReadOnlyList<float[]>>();
        var along = new List<double>();
        for (int q = 0; q < 60; q++)
        {
            var offset = SyntheticData.GaussianVector(random, 20, 3);
            var group = new List<float[]>();
            for (int r = 0; r < 5; r++)
            {
                double t = 2 * SyntheticData.Gaussian(random);
                group.Add(offset.Select((o, i) => (float)(o + (t * a[i]) + (0.05 * SyntheticData.Gaussian(random)))).ToArray());
            }

            groups.Add(group);
        }

        // act
        var basis = TenantProjection.Learn(groups, 1);

        // assert: one row along a (the query offsets cancel), scaled so the centred coordinates have unit variance
        Assert.Single(basis);
        double cosine = Math.Abs(SyntheticData.Cosine(basis[0].Select(x => (double)x).ToArray(), a));
        Assert.True(cosine > 0.999, $"cosine {cosine:F4}");
        foreach (var group in groups)
        {
            var projections = group.Select(e => Dot(basis[0], e)).ToList();
            double mean = projections.Average();
            along.AddRange(projections.Select(p => p - mean));
        }

        double variance = along.Sum(v => v * v) / along.Count;
        Assert.Equal(1.0, variance, tolerance: 1e-3);
        Assert.Equal(TenantProjection.Id(basis), TenantProjection.Id(TenantProjection.Learn(groups, 1)));
    }

    [Fact]
    public async Task ResidualHead_TasteOnlyInADirectionTheCriteriaMiss_IsLearnedOnTheTenantBasis()
    {
        // arrange: responses to 200 queries differ along a planted direction a (plus isotropic noise); the user prefers
        // the response further along a. Same text for every response, so the text statistics carry nothing.
        var bank = await TestBanks.BankAsync();
        var scenarios = await TestBanks.ScenariosAsync();
        var random = new Random(17);
        var a = Unit(SyntheticData.GaussianVector(random, Dimension));
        var queries = Enumerable.Range(0, 200).Select(_ => Query(random, a)).ToList();
        var train = queries.Take(150).ToList();
        var test = queries.Skip(150).ToList();
        var generic = FeatureSpace.Create(bank, scenarios);
        var tenant = FeatureSpace.Create(bank, scenarios, new FeatureSpaceOptions
        {
            ResidualBasis = TenantProjection.Learn(train.Select(q => (IReadOnlyList<float[]>)q.Responses.Select(r => r.Embedding).ToList()), 16),
        });

        // act
        double genericAccuracy = HeldOutAccuracy(generic, train, test);
        double tenantAccuracy = HeldOutAccuracy(tenant, train, test);

        // assert
        Assert.Equal(generic.Dimension, tenant.Dimension);
        Assert.NotEqual(generic.Version, tenant.Version);
        Assert.True(tenantAccuracy >= 0.9, $"tenant basis {tenantAccuracy:P1}, generic {genericAccuracy:P1}");
        Assert.True(tenantAccuracy >= genericAccuracy + 0.08, $"tenant basis {tenantAccuracy:P1}, generic {genericAccuracy:P1}");
    }

    private static double HeldOutAccuracy(FeatureSpace space, IReadOnlyList<PlantedQuery> train, IReadOnlyList<PlantedQuery> test)
    {
        var observations = Pairs(space, train).Select(p => new LogisticObservation(p)).ToList();
        var prior = DiagonalGaussian.Zero(space.BasePrecision);
        var scheme = SchemeLearner.FitUser(prior, observations, new HybridModelOptions()).Mean;
        var held = Pairs(space, test);
        return held.Count(z => SyntheticData.Dot(scheme, z) > 0) / (double)held.Count;
    }

    /// <summary>Per query, x(preferred) − x(other) for consecutive responses ordered by their position along a.</summary>
    private static List<double[]> Pairs(FeatureSpace space, IReadOnlyList<PlantedQuery> queries)
    {
        var list = new List<double[]>();
        foreach (var q in queries)
        {
            var ordered = q.Responses.OrderByDescending(r => r.Along).ToList();
            for (int i = 0; i + 1 < ordered.Count; i++)
            {
                var chosen = space.Content(q.Embedding, ordered[i].Embedding, "An answer.");
                var rejected = space.Content(q.Embedding, ordered[i + 1].Embedding, "An answer.");
                list.Add(chosen.Select((c, k) => c - rejected[k]).ToArray());
            }
        }

        return list;
    }

    private static PlantedQuery Query(Random random, double[] a)
    {
        var embedding = Unit(SyntheticData.GaussianVector(random, Dimension));
        var centre = SyntheticData.GaussianVector(random, Dimension, 0.05);
        var responses = new List<(float[], double)>();
        for (int r = 0; r < 5; r++)
        {
            double t = SyntheticData.Gaussian(random);
            var e = centre.Select((c, i) => c + embedding[i] + (0.3 * t * a[i]) + (0.03 * SyntheticData.Gaussian(random))).ToArray();
            responses.Add((Unit(e).Select(x => (float)x).ToArray(), t));
        }

        return new PlantedQuery(embedding.Select(x => (float)x).ToArray(), responses);
    }

    private static double[] Unit(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Dot(float[] a, float[] b)
    {
        double total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            total += a[i] * (double)b[i];
        }

        return total;
    }

    private sealed record PlantedQuery(float[] Embedding, List<(float[] Embedding, double Along)> Responses);
}

using PGenRM.Core.Model;

namespace PGenRM.Core.Tests.Model;

/// <summary>The tenant's prior scale for the users' collaborative stage (<see cref="CollaborativeScale"/>).</summary>
public sealed class CollaborativeScaleTests
{
    private static readonly double[] Grid = [0.25, 1, 4];

    [Fact]
    public void Tenant_TakesTheBestWeightedSum()
    {
        // sums: 2·[−10, −5, −6] + [−3, −8, −2] = [−23, −18, −14] → scale 4; with equal weights [−13, −13, −8] → 4 as well,
        // and with the first user alone, 1
        float[] first = [-10, -5, -6], second = [-3, -8, -2];

        Assert.Equal(4, CollaborativeScale.Tenant(Grid, [(first, 2), (second, 1)]));
        Assert.Equal(4, CollaborativeScale.Tenant(Grid, [(first, 1), (second, 1)]));
        Assert.Equal(1, CollaborativeScale.Tenant(Grid, [(first, 1)]));
        Assert.Equal(0.25, CollaborativeScale.Tenant(Grid, [(first, 1), ([0, -40, -40], 1)]));
    }

    [Fact]
    public void Tenant_TiesGoToTheStrongerScale_AndIncompleteCriteriaDoNotCount()
    {
        Assert.Equal(4, CollaborativeScale.Tenant(Grid, [([-5, -5, -5], 1)]));
        Assert.Equal(1, CollaborativeScale.Tenant(Grid, [([-5, -1, -5], 1), ([-100], 1), ([0, float.NaN, -100], 1), ([0, 0, -100], 0)]));
        Assert.Null(CollaborativeScale.Tenant(Grid, [([-1, -2], 1), ([float.NegativeInfinity, 0, 0], 1)]));
        Assert.Null(CollaborativeScale.Tenant(Grid, []));
    }

    [Fact]
    public void Criteria_FollowTheGridsOrder_EmptyWhenTheStageDidNotRun()
    {
        Assert.Equal([-3.0, -2.0, -1.0], CollaborativeScale.Criteria(Grid, new Dictionary<double, double> { [4] = -1, [0.25] = -3, [1] = -2 }));
        Assert.Empty(CollaborativeScale.Criteria(Grid, new Dictionary<double, double>()));
        Assert.True(double.IsNaN(CollaborativeScale.Criteria(Grid, new Dictionary<double, double> { [1] = -2 })[0]));
    }
}

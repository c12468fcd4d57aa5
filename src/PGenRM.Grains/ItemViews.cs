using PGenRM.Core.Model;
using PGenRM.Grains.Abstractions;

namespace PGenRM.Grains;

/// <summary>The item as feedback and scoring see it; one rule for the user grain and the scoring worker.</summary>
internal static class ItemViews
{
    /// <summary>v = scale·u + o and b from the item's statistics; o is empty (zero) for an item nobody judged.</summary>
    public static ItemView From(ItemStats stats, double[] factorPrior, double scale)
    {
        var factor = new double[factorPrior.Length];
        var prior = new double[factorPrior.Length];
        for (int k = 0; k < factor.Length; k++)
        {
            prior[k] = scale * factorPrior[k];
            factor[k] = prior[k] + (stats.FactorOffset.Length == factor.Length ? stats.FactorOffset[k] : 0);
        }

        return new ItemView(stats.Strength, factor, prior);
    }
}

namespace PGenRM.Core.Model;

/// <summary>
/// What scoring needs of an item: its strength b and full factor v = u + o (content prior plus learned offset).
/// An item nobody has judged has b = 0 and v = u, so its score comes from content alone.
/// </summary>
/// <param name="Strength">Learned item strength b.</param>
/// <param name="Factor">Item factor v (length F).</param>
public readonly record struct ItemView(double Strength, double[] Factor)
{
    /// <summary>An unseen item: strength 0 and the content-derived factor.</summary>
    public static ItemView Unseen(double[] factorPrior) => new(0, factorPrior);
}

namespace PGenRM.Core.Model;

/// <summary>Standard normal draws (Box–Muller) from a seeded <see cref="Random"/>, so seeded draws are reproducible.</summary>
public static class StandardNormal
{
    /// <summary>One N(0, 1) draw.</summary>
    public static double Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

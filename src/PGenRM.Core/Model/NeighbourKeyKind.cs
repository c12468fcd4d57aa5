namespace PGenRM.Core.Model;

/// <summary>The vector two users are compared on when the prototype level looks for similar users.</summary>
public enum NeighbourKeyKind
{
    /// <summary>The user factor p (deviation from the population's).</summary>
    Factor,

    /// <summary>The whole scheme θ = [w; p] (deviation from the population's).</summary>
    Scheme,

    /// <summary>The random sketch of the user's judgments (<see cref="JudgmentSketch"/>).</summary>
    Sketch,
}

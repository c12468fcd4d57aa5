namespace PGenRM.Core.Model;

/// <summary>The vector two users are compared on when the prototype level looks for similar users.</summary>
public enum NeighbourKeyKind
{
    /// <summary>The user factor p (deviation from the population's).</summary>
    Factor,

    /// <summary>The whole scheme θ = [w; p; δ] (deviation from the population's).</summary>
    Scheme,

    /// <summary>The random sketch of the user's judgments (<see cref="JudgmentSketch"/>).</summary>
    Sketch,

    /// <summary>
    /// The random sketch of the user's pairs, +h(chosen) − h(rejected) per pair (<see cref="JudgmentSketch.OfPairs"/>), as
    /// the user grain keeps it in the service: it weighs an item by the pairs it took part in, so two users who reject the
    /// same items but each prefer their own (DSP's registers) come out opposed, where the per-item mean signs of
    /// <see cref="Sketch"/> make them look alike.
    /// </summary>
    PairSketch,
}

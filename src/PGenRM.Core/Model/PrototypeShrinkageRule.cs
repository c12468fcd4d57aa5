namespace PGenRM.Core.Model;

/// <summary>How κ, the pseudo-count that shrinks prototype centroids toward the population, is estimated (<see cref="PrototypeShrinkage"/>).</summary>
public enum PrototypeShrinkageRule
{
    /// <summary>
    /// κ = σ²within/τ²between by the method of moments over the member schemes (<see cref="PrototypeShrinkage.Kappa"/>;
    /// issue 11 session 3).
    /// </summary>
    MethodOfMoments,

    /// <summary>
    /// κ chosen from a grid by how well the centroid of a prototype's <i>other</i> members predicts each member's own
    /// observations (<see cref="PrototypeShrinkage.HeldOutKappa"/>): a prototype is used only as far as it predicts a
    /// member it did not see better than the population does. A development alternative (issue 11 session 6): on the
    /// development seeds it did not beat the method of moments on TL;DR new content and cost GSC about a point, so it is
    /// not the default.
    /// </summary>
    HeldOut,
}

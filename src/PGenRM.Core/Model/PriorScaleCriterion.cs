namespace PGenRM.Core.Model;

/// <summary>How a user's prior strength is chosen from <see cref="HybridModelOptions.PriorScaleGrid"/>.</summary>
public enum PriorScaleCriterion
{
    /// <summary>The Laplace approximation of the marginal likelihood (empirical Bayes).</summary>
    Evidence,

    /// <summary>The approximate leave-one-out log-likelihood of the user's pairs.</summary>
    LeaveOneOut,
}

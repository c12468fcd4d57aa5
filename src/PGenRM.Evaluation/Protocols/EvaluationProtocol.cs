namespace PGenRM.Evaluation.Protocols;

/// <summary>The two protocols of design.md section 6; every accuracy claim is made under both.</summary>
public enum EvaluationProtocol
{
    /// <summary>
    /// Split by content (statements, or posts for pair data): no test item was judged by anyone in train.
    /// Measures what generalises to fresh responses (the content part).
    /// </summary>
    NewContent,

    /// <summary>
    /// Split each user's judgments; other users' judgments of the same items stay in train.
    /// Measures what other users' judgments carry (the collaborative part).
    /// </summary>
    SharedContent,
}

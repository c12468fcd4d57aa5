namespace PGenRM.Core.Criteria;

/// <summary>
/// One (query, response) pair of the calibration corpus. The corpus fixes each criterion's mean and spread
/// (so standardised scores are comparable) and, with the anchors, spans the residual basis.
/// </summary>
/// <param name="Query">The user's question or request.</param>
/// <param name="Response">A response to it; the corpus mixes styles, lengths and a few off-topic answers.</param>
public sealed record CalibrationSample(string Query, string Response);
